import EventBus
import EventPatterns
import EventRouterServer
import Foundation
import Testing

/// Hostile input to the server's pure functions and request handling: never a trap, always an
/// AWS-shaped error in the request's protocol, bounded work.
struct RobustnessTests {
    /// Random text biased towards the characters the parsers care about.
    static func randomText(_ random: inout SplitMix64, maxLength: Int) -> String {
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", "9", ".", "=", "&", "%", "+", "/", ";", ",", " ", "\t", "\r", "\n", "\u{0}",
                                          "\u{1}", "<", ">", "\"", "'", "-", "T", "Z", "é", "\u{FFFF}", "\u{1F600}", "m", "e", "b", "r"]
        let words = ["member", "entry", "Action", "Version", "1", "99999999999999999999", "0", "-1", "%2", "%zz", "%41",
                     "AWS4-HMAC-SHA256 ", "Credential=", "SignedHeaders=", "Signature=", "aws4_request", "20150830T123600Z"]
        var text = ""
        let length = Int(random.next() % UInt64(maxLength + 1))
        while text.unicodeScalars.count < length {
            if random.next() % 4 == 0 {
                text += words[Int(random.next() % UInt64(words.count))]
            } else {
                text.unicodeScalars.append(alphabet[Int(random.next() % UInt64(alphabet.count))])
            }
        }
        return text
    }

    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || (scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF)
    }

    @Test func pureFunctionsSurviveRandomInput() {
        var random = SplitMix64(seed: 20_261_127)
        for _ in 0..<20_000 {
            let text = Self.randomText(&random, maxLength: 80)
            // Form decoding: pairs, then the tree; only MalformedQueryString may come out.
            let pairs = QueryDecoder.pairs(text)
            do { _ = try QueryDecoder.decode(pairs) } catch { #expect(error.code == "MalformedQueryString") }
            _ = SigV4.percentDecode(text, plusIsSpace: random.next() % 2 == 0)
            // SigV4 parsing: a parsed header has a well-formed credential scope.
            if let auth = try? SigV4.parseAuthorization(text) {
                #expect(auth.date.count == 8 && !auth.signedHeaders.isEmpty)
            }
            if let seconds = SigV4.parseAmzDate(text) { _ = SigV4.formatAmzDate(seconds) }
            let request = SignedRequest(method: "POST", path: text, query: text, headers: [("host", text), ("x-amz-date", text)], body: Array(text.utf8))
            let auth = SigV4.Authorization(accessKeyID: "AKID", date: "20150830", region: "r", service: "s", signedHeaders: ["host", text.lowercased()], signature: text)
            #expect(!SigV4.verify(request, authorization: auth, secretAccessKey: "secret") || auth.signature.count == 64)
            // XML escaping: well-formed character data whatever the text.
            let escaped = XMLWriter.escape(text)
            #expect(escaped.unicodeScalars.allSatisfy(Self.isXMLCharacter))
            #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.unicodeScalars.contains("\r"))
        }
        // Every 16-byte text with the date's shape: parsing never traps and valid dates round-trip.
        for _ in 0..<20_000 {
            var bytes = (0..<16).map { _ in UInt8(0x30 + random.next() % 10) }
            bytes[8] = UInt8(ascii: "T")
            bytes[15] = UInt8(ascii: "Z")
            let text = String(decoding: bytes, as: UTF8.self)
            if let seconds = SigV4.parseAmzDate(text), Int(text.prefix(8).suffix(2))! <= 28 {
                #expect(SigV4.formatAmzDate(seconds) == text || text.dropFirst(13).prefix(2) == "60")
            }
        }
    }

    @Test func xmlEscapingKeepsAnswersWellFormed() {
        #expect(XMLWriter.escape("a\u{0}b\u{1B}c\r\nd\te\u{FFFE}<&>\"'é😀") == "a\u{FFFD}b\u{FFFD}c&#xD;\nd\te\u{FFFD}&lt;&amp;&gt;&quot;&apos;é😀")
        // An ELB error message echoing a control character in a name stays parsable XML.
        let error = WireFormat.error(WireError("ValidationError", "Name 'a\u{7}' is invalid"), protocol: .query(namespace: "ns"), service: "elbv2", requestID: "r")
        #expect(error.bodyText.contains("<Message>Name &apos;a\u{FFFD}&apos; is invalid</Message>"))
    }

    @Test func queryDecoderBoundsIndexesDepthAndCount() throws {
        for name in ["Names.member.99999999999999999999", "Names.member.0", "Names.member.1001", "Names.member.-1", "Names.member.+1",
                     "Names.member", "Names..x", "Names.member.1e3"] {
            #expect(throws: WireError.self, "\(name)") { try QueryDecoder.decode([(name, "x")]) }
        }
        let deep = Array(repeating: "A", count: 100_000).joined(separator: ".")
        #expect(throws: WireError.self) { try QueryDecoder.decode([(deep, "x")]) }
        let nested = Array(repeating: "A.member.1", count: 9).joined(separator: ".")
        #expect(throws: WireError.self) { try QueryDecoder.decode([(nested, "x")]) }
        let many = (0...QueryDecoder.maximumParameters + 2).map { ("K\($0)", "v") }  // Action and Version come on top
        #expect(throws: WireError.self) { try QueryDecoder.decode(many) }
        // At the limit: decoded (in linear time: the members are found by key, not by scanning).
        let decoded = try QueryDecoder.decode(Array(many.prefix(QueryDecoder.maximumParameters)))
        #expect(decoded.members.count == QueryDecoder.maximumParameters)
        #expect(decoded.members.first?.key == "K0" && decoded.members.last?.key == "K9999")
        let list = try QueryDecoder.decode((1...1000).reversed().map { ("Names.member.\($0)", "n\($0)") })
        #expect(list["Names"] == .array((1...1000).map { .string("n\($0)") }))
        // Repeated keys: the last value wins; empty values are empty strings; a leaf can become a structure.
        let repeated = try QueryDecoder.decode(QueryDecoder.pairs("Name=a&Name=b&Scheme=&Port=%38%30&X=1&X.Y=2"))
        #expect(JSONValue.object(repeated).jsonText == #"{"Name":"b","Scheme":"","Port":80,"X":{"Y":"2"}}"#)
        // Numbers too large for an Int stay text (the simulator answers "must be an integer").
        #expect(try QueryDecoder.decode([("Port", "99999999999999999999")])["Port"] == .string("99999999999999999999"))
    }

    @Test func sqsWaitTimeSecondsOutsideTheRangeIsAnErrorNotATrap() async {
        let service = AWSService(router: Router(), credentials: nil)
        for wait in ["1e300", "-1e300", "-1", "21", "0.5", "9007199254740993"] {
            let request = SignedRequest(method: "POST", path: "/", query: "",
                                        headers: [("host", "h"), ("x-amz-target", "AmazonSQS.ReceiveMessage"), ("content-type", "application/x-amz-json-1.0")],
                                        body: Array(#"{"QueueUrl": "http://h/000000000000/q", "WaitTimeSeconds": \#(wait)}"#.utf8))
            let (answer, _) = await service.handle(request)
            #expect(answer.status == 400, "\(wait)")
            #expect(answer.headers.contains { $0.name == "x-amzn-query-error" && $0.value == "InvalidParameterValue;Sender" }, "\(wait)")
        }
    }

    @Test func errorsBeforeRecognitionTakeTheRequestsProtocol() async {
        let service = AWSService(router: Router(), credentials: nil, maximumBodySize: 10)
        let form = SignedRequest(method: "POST", path: "/", query: "", headers: [("host", "h"), ("content-type", "application/x-www-form-urlencoded")],
                                 body: Array("Action=DescribeLoadBalancers&Version=2015-12-01".utf8))
        let (xml, _) = await service.handle(form)
        #expect(xml.status == 413)
        #expect(xml.bodyText.hasPrefix("<?xml") && xml.bodyText.contains("<Code>RequestEntityTooLargeException</Code>"))
        let sqs = SignedRequest(method: "POST", path: "/", query: "", headers: [("host", "h"), ("x-amz-target", "AmazonSQS.SendMessage")],
                                body: Array(String(repeating: "x", count: 100).utf8))
        let (json, _) = await service.handle(sqs)
        #expect(json.status == 413)
        #expect(json.headers.contains { $0.name == "Content-Type" && $0.value == "application/x-amz-json-1.0" })
        #expect(json.headers.contains { $0.name == "x-amzn-query-error" })
        // What the HTTP layer answers when the body is cut off at the limit (it never reaches `handle`).
        let cut = AWSService.bodyTooLarge(SignedRequest(method: "POST", path: "/", query: "Action=DescribeLoadBalancers", headers: [], body: []), limit: 10)
        #expect(cut.status == 413 && cut.bodyText.contains("<ErrorResponse"))
        let rest = AWSService.bodyTooLarge(SignedRequest(method: "POST", path: "/v1/submitjob", query: "", headers: [], body: []), limit: 10)
        #expect(rest.headers.contains { $0.name == "x-amzn-ErrorType" && $0.value == "RequestEntityTooLargeException" })
    }

    @Test func signatureEdgeCases() {
        // Duplicate headers are joined with commas, values trimmed and their inner runs of spaces folded.
        let request = SignedRequest(method: "GET", path: "/a b/é", query: "b=&a=2&a=1&c", headers: [
            ("Host", "h"), ("X-Amz-Date", "20150830T123600Z"), ("My-Header", "  a   b  "), ("my-header", "\tc\t d ")], body: [])
        let canonical = SigV4.canonicalRequest(request, signedHeaders: ["host", "my-header", "x-amz-date"], payloadHash: "p")
        #expect(canonical == "GET\n/a%20b/%C3%A9\na=1&a=2&b=&c=\nhost:h\nmy-header:a b,c d\nx-amz-date:20150830T123600Z\n\nhost;my-header;x-amz-date\np")
        // A signed header the request lacks is signed as empty (the signature then does not match).
        let missing = SigV4.canonicalRequest(SignedRequest(method: "GET", path: "", query: "", headers: [], body: []), signedHeaders: ["host"], payloadHash: "p")
        #expect(missing == "GET\n/\n\nhost:\n\nhost\np")
        // The window is 15 minutes either way, inclusive.
        let now: Int64 = 1_440_938_160
        #expect(throws: Never.self) { try SigV4.checkTime(amzDate: "20150830T125100Z", now: now) }
        #expect(throws: Never.self) { try SigV4.checkTime(amzDate: "20150830T122100Z", now: now) }
        #expect(throws: SigV4.AuthError.self) { try SigV4.checkTime(amzDate: "20150830T125101Z", now: now) }
        #expect(throws: SigV4.AuthError.self) { try SigV4.checkTime(amzDate: "20150830T122059Z", now: now) }
        #expect(throws: SigV4.AuthError.self) { try SigV4.checkTime(amzDate: "99999999T999999Z", now: now) }
        #expect(throws: SigV4.AuthError.self) { try SigV4.checkTime(amzDate: "00000000T000000Z", now: now) }
    }

    @Test func credentialScopeDateMustBeTheRequestDate() async {
        let store = CredentialStore(["AKIDEXAMPLE": .init(secretAccessKey: "secret", accountID: "222222222222")])
        let service = AWSService(router: Router(), credentials: store, now: { 1_440_979_200 })  // 2015-08-31T00:00:00Z
        for (scopeDate, expected) in [("20150830", 403), ("20150831", 200)] {
            var request = WireTests.eventsRequest("ListEventBuses", "{}", headers: [("x-amz-date", "20150831T000000Z")])
            let auth = SigV4.Authorization(accessKeyID: "AKIDEXAMPLE", date: scopeDate, region: "us-east-1", service: "events",
                                           signedHeaders: ["host", "x-amz-date"], signature: "")
            let signature = SigV4.expectedSignature(request, authorization: auth, secretAccessKey: "secret")
            request.headers.append(("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\(scopeDate)/us-east-1/events/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(signature)"))
            let (answer, _) = await service.handle(request)
            #expect(answer.status == expected, "\(scopeDate)")
            if expected == 403 {
                #expect(answer.bodyText.contains("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150830' != '20150831'"))
            }
        }
    }
}
