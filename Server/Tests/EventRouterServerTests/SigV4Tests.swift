import EventRouterServer
import Testing

/// AWS's published Signature Version 4 example: IAM `GET /?Action=ListUsers&Version=2010-05-08`
/// signed on 2015-08-30 12:36:00 UTC with the documentation's example key.
struct SigV4Tests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let request = SignedRequest(
        method: "GET", path: "/", query: "Action=ListUsers&Version=2010-05-08",
        headers: [("Host", "iam.amazonaws.com"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                  ("X-Amz-Date", "20150830T123600Z")],
        body: [])
    static let authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
        + "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"

    @Test func canonicalRequestOfTheExample() {
        let canonical = SigV4.canonicalRequest(Self.request, signedHeaders: ["content-type", "host", "x-amz-date"],
                                               payloadHash: SigV4.payloadHash([]))
        #expect(canonical == """
            GET
            /
            Action=ListUsers&Version=2010-05-08
            content-type:application/x-www-form-urlencoded; charset=utf-8
            host:iam.amazonaws.com
            x-amz-date:20150830T123600Z

            content-type;host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        let toSign = SigV4.stringToSign(canonicalRequest: canonical, amzDate: "20150830T123600Z", scope: "20150830/us-east-1/iam/aws4_request")
        #expect(toSign.hasSuffix("\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"))
    }

    @Test func signingKeyAndSignatureOfTheExample() {
        let key = SigV4.signingKey(secretAccessKey: Self.secret, date: "20150830", region: "us-east-1", service: "iam")
        #expect(key.withUnsafeBytes { Array($0) }.map { String(format: "%02x", $0) }.joined()
                == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test func verifiesTheExample() throws {
        let auth = try SigV4.parseAuthorization(Self.authorization)
        #expect(auth.accessKeyID == "AKIDEXAMPLE")
        #expect(auth.region == "us-east-1")
        #expect(auth.service == "iam")
        #expect(auth.signedHeaders == ["content-type", "host", "x-amz-date"])
        #expect(SigV4.verify(Self.request, authorization: auth, secretAccessKey: Self.secret))
        #expect(!SigV4.verify(Self.request, authorization: auth, secretAccessKey: Self.secret + "x"))
        var tampered = Self.request
        tampered.query = "Action=ListUsers&Version=2010-05-09"
        #expect(!SigV4.verify(tampered, authorization: auth, secretAccessKey: Self.secret))
    }

    @Test func malformedAuthorizationHeaders() {
        for header in ["", "AWS4-HMAC-SHA256", "Basic abc", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request",
                       "AWS4-HMAC-SHA256 Credential=AKID/2015/us-east-1, SignedHeaders=host, Signature=00"] {
            #expect(throws: SigV4.AuthError.self) { try SigV4.parseAuthorization(header) }
        }
    }

    @Test func requestTimeWithinFifteenMinutes() throws {
        let now = SigV4.parseAmzDate("20150830T123600Z") ?? 0
        #expect(now == 1_440_938_160)
        #expect(SigV4.formatAmzDate(now) == "20150830T123600Z")
        try SigV4.checkTime(amzDate: "20150830T123600Z", now: now + 900)
        do {
            try SigV4.checkTime(amzDate: "20150830T123600Z", now: now + 901)
            Issue.record("expired signature accepted")
        } catch {
            #expect(error.code == "InvalidSignatureException")
            #expect(error.message == "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)")
        }
        #expect(throws: SigV4.AuthError.self) { try SigV4.checkTime(amzDate: "20150830T123600Z", now: now - 901) }
        #expect(throws: SigV4.AuthError.self) { try SigV4.checkTime(amzDate: "2015-08-30", now: now) }
        #expect(throws: SigV4.AuthError.self) { try SigV4.checkTime(amzDate: nil, now: now) }
    }

    @Test func canonicalQuerySortsAndEncodes() {
        let request = SignedRequest(method: "GET", path: "/a b/", query: "b=2&a=x%2By&a=1&c", headers: [("host", "h")], body: [])
        let canonical = SigV4.canonicalRequest(request, signedHeaders: ["host"], payloadHash: "-")
        #expect(canonical.split(separator: "\n", omittingEmptySubsequences: false)[1] == "/a%20b/")
        #expect(canonical.split(separator: "\n", omittingEmptySubsequences: false)[2] == "a=1&a=x%2By&b=2&c=")
    }
}
