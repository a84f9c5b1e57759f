import Crypto
import Foundation

/// AWS Signature Version 4 (header form, `Authorization: AWS4-HMAC-SHA256 …`): the parts of a signed
/// request, the canonical request, the string to sign, the derived signing key, and verification.
///
/// ```swift
/// let request = SignedRequest(method: "POST", path: "/", query: "", headers: headers, body: body)
/// let auth = try SigV4.parseAuthorization(headers["authorization"] ?? "")
/// let ok = SigV4.verify(request, authorization: auth, secretAccessKey: secret)
/// ```
public enum SigV4 {
    /// The parsed `Authorization` header.
    public struct Authorization: Sendable, Equatable {
        public var accessKeyID: String
        /// `YYYYMMDD` of the credential scope.
        public var date: String
        public var region: String
        public var service: String
        /// Lower-cased header names, in the order given (`host;x-amz-date`).
        public var signedHeaders: [String]
        /// Hex, lower case.
        public var signature: String

        public var scope: String { "\(date)/\(region)/\(service)/aws4_request" }

        public init(accessKeyID: String, date: String, region: String, service: String, signedHeaders: [String], signature: String) {
            self.accessKeyID = accessKeyID
            self.date = date
            self.region = region
            self.service = service
            self.signedHeaders = signedHeaders
            self.signature = signature
        }
    }

    /// An error of authentication, with AWS's code and message (HTTP 403 unless stated).
    public struct AuthError: Error, Sendable, Equatable {
        public var code: String
        public var message: String
        public var httpStatus: Int
        public init(_ code: String, _ message: String, httpStatus: Int = 403) {
            self.code = code
            self.message = message
            self.httpStatus = httpStatus
        }
    }

    public static let algorithm = "AWS4-HMAC-SHA256"
    /// How far the request time may be from the server's clock (AWS: 15 minutes).
    public static let maximumSkew: Int64 = 15 * 60

    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request,
    /// SignedHeaders=content-type;host;x-amz-date, Signature=…`.
    /// - Throws: `IncompleteSignatureException` for a malformed header.
    public static func parseAuthorization(_ header: String) throws(AuthError) -> Authorization {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix(algorithm + " ") else {
            throw AuthError("IncompleteSignatureException", "Unsupported authorization type: only \(algorithm) is accepted. Authorization=\(trimmed)")
        }
        var fields: [String: String] = [:]
        for part in trimmed.dropFirst(algorithm.count + 1).split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let equals = item.firstIndex(of: "=") else { continue }
            fields[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        for name in ["Credential", "SignedHeaders", "Signature"] where fields[name] == nil {
            throw AuthError("IncompleteSignatureException",
                            "Authorization header requires '\(name)' parameter. Authorization=\(trimmed)")
        }
        let credential = (fields["Credential"] ?? "").split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard credential.count == 5, credential[4] == "aws4_request", credential[1].count == 8,
              !credential[0].isEmpty, !credential[2].isEmpty, !credential[3].isEmpty else {
            throw AuthError("IncompleteSignatureException",
                            "Credential should be scoped to a valid region, service and date, as in AKID/YYYYMMDD/region/service/aws4_request.")
        }
        let signed = (fields["SignedHeaders"] ?? "").split(separator: ";").map { $0.lowercased() }
        guard !signed.isEmpty else {
            throw AuthError("IncompleteSignatureException", "Authorization header requires 'SignedHeaders' parameter. Authorization=\(trimmed)")
        }
        return Authorization(accessKeyID: credential[0], date: credential[1], region: credential[2], service: credential[3],
                             signedHeaders: signed, signature: (fields["Signature"] ?? "").lowercased())
    }

    /// The canonical request of `request` for the given signed headers.
    public static func canonicalRequest(_ request: SignedRequest, signedHeaders: [String], payloadHash: String) -> String {
        var lines: [String] = [request.method.uppercased(), canonicalURI(request.path), canonicalQuery(request.query)]
        var headerText = ""
        for name in signedHeaders {
            let values = request.headers.filter { $0.name.lowercased() == name }.map { canonicalHeaderValue($0.value) }
            headerText += name + ":" + values.joined(separator: ",") + "\n"
        }
        lines.append(headerText)
        lines.append(signedHeaders.joined(separator: ";"))
        lines.append(payloadHash)
        return lines.joined(separator: "\n")
    }

    /// The string to sign: algorithm, request time, scope, hash of the canonical request.
    public static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        [algorithm, amzDate, scope, hex(SHA256.hash(data: Array(canonicalRequest.utf8)))].joined(separator: "\n")
    }

    /// The signing key: HMAC chain over date, region, service and `aws4_request`.
    public static func signingKey(secretAccessKey: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secretAccessKey).utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// The hex signature of `stringToSign` with `key`.
    public static func signature(stringToSign: String, key: SymmetricKey) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// The lower-case hex SHA-256 of `bytes` (the payload hash).
    public static func payloadHash(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// The signature `request` should carry, given its parsed `Authorization` and the caller's secret.
    public static func expectedSignature(_ request: SignedRequest, authorization auth: Authorization, secretAccessKey: String) -> String {
        let amzDate = request.header("x-amz-date") ?? ""
        let canonical = canonicalRequest(request, signedHeaders: auth.signedHeaders, payloadHash: payloadHash(request.body))
        let text = stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: auth.scope)
        return signature(stringToSign: text, key: signingKey(secretAccessKey: secretAccessKey, date: auth.date, region: auth.region, service: auth.service))
    }

    /// Whether the signature matches, compared in constant time.
    public static func verify(_ request: SignedRequest, authorization auth: Authorization, secretAccessKey: String) -> Bool {
        constantTimeEquals(expectedSignature(request, authorization: auth, secretAccessKey: secretAccessKey), auth.signature)
    }

    /// Checks the request time (`X-Amz-Date`, `YYYYMMDD'T'HHMMSS'Z'`) against `now` (epoch seconds).
    /// - Throws: `IncompleteSignatureException` without a date, `InvalidSignatureException` (HTTP 400,
    ///   as AWS answers) when it is more than 15 minutes away, with AWS's texts.
    public static func checkTime(amzDate: String?, now: Int64) throws(AuthError) {
        guard let amzDate, let time = parseAmzDate(amzDate) else {
            throw AuthError("IncompleteSignatureException",
                            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        if time < now - maximumSkew {
            throw AuthError("InvalidSignatureException",
                            "Signature expired: \(amzDate) is now earlier than \(formatAmzDate(now - maximumSkew)) (\(formatAmzDate(now)) - 15 min.)",
                            httpStatus: 400)
        }
        if time > now + maximumSkew {
            throw AuthError("InvalidSignatureException",
                            "Signature not yet current: \(amzDate) is still later than \(formatAmzDate(now + maximumSkew)) (\(formatAmzDate(now)) + 15 min.)",
                            httpStatus: 400)
        }
    }

    // MARK: - Encoding helpers

    /// `YYYYMMDDTHHMMSSZ` → epoch seconds.
    public static func parseAmzDate(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        return daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// Epoch seconds → `YYYYMMDDTHHMMSSZ`.
    public static func formatAmzDate(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (y, m, d) = civilFromDays(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(y, 4) + pad(m, 2) + pad(d, 2) + "T" + pad(rest / 3600, 2) + pad(rest / 60 % 60, 2) + pad(rest % 60, 2) + "Z"
    }

    // Howard Hinnant's civil-date algorithms.
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The path, each byte not unreserved nor `/` percent-encoded (so an already encoded path is
    /// encoded a second time, as the SDKs sign it for every service but S3).
    static func canonicalURI(_ path: String) -> String {
        path.isEmpty ? "/" : percentEncode(path, keepSlash: true)
    }

    /// Query parameters decoded, re-encoded strictly, sorted by name then value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentEncode(percentDecode(String(parts[0]), plusIsSpace: false), keepSlash: false)
            let value = parts.count > 1 ? percentEncode(percentDecode(String(parts[1]), plusIsSpace: false), keepSlash: false) : ""
            pairs.append((name, value))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { $0.0 + "=" + $0.1 }.joined(separator: "&")
    }

    /// Trimmed, with runs of spaces collapsed to one.
    static func canonicalHeaderValue(_ value: String) -> String {
        var out = ""
        var lastWasSpace = false
        for character in value.trimmingCharacters(in: .whitespaces) {
            if character == " " || character == "\t" {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(character)
                lastWasSpace = false
            }
        }
        return out
    }

    static func percentEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let hexDigits = Array("0123456789ABCDEF")
        for byte in text.utf8 {
            let unreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E || (keepSlash && byte == 0x2F)
            if unreserved {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out.append("%")
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// Percent-decoding (invalid escapes are kept as they are; invalid UTF-8 is repaired).
    public static func percentDecode(_ text: String, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let input = Array(text.utf8)
        var index = 0
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: return byte - 0x30
            case 0x41...0x46: return byte - 0x41 + 10
            case 0x61...0x66: return byte - 0x61 + 10
            default: return nil
            }
        }
        while index < input.count {
            let byte = input[index]
            if byte == 0x25, index + 2 < input.count, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(plusIsSpace && byte == 0x2B ? 0x20 : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }
}

/// What SigV4 sees of an HTTP request: method, raw path and query (as sent), headers, body.
public struct SignedRequest: Sendable {
    public var method: String
    /// The path as sent (still percent-encoded), without the query.
    public var path: String
    /// The query string as sent, without `?`.
    public var query: String
    /// Header names as sent (compared case-insensitively); `host` must be among them.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
