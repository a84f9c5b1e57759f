import EventPatterns
import PatternTestSupport
import Testing

@Suite struct JSONReaderTests {
    static let invalid: [String] = [
        "", " ", "{", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "-Infinity",
        "tru", "truex", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"",
        "\"a\u{01}b\"", "{\"a\" 1}", "{1:2}", "[1 2]", "{} {}", "[] x", "\"\\", "[\"\\uD83D\"]", "00", "-01", "1.0e+",
    ]

    @Test(arguments: invalid)
    func rejects(_ text: String) {
        #expect(throws: JSONError.self) { try JSONReader.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
                               [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22]] {
            #expect(throws: JSONError.self) { try JSONReader.parse(bytes) }
        }
    }

    @Test func acceptsAndDecodes() throws {
        #expect(try JSONReader.parse(" 1 ") == .number(JSONNumber(1)))
        #expect(try JSONReader.parse("-0.5e-3") == .number(JSONNumber(-0.0005)))
        #expect(try JSONReader.parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"\\/\u{08}\u{0C}\n\r\té😀"))
        #expect(try JSONReader.parse("[true,false,null]") == .array([.bool(true), .bool(false), .null]))
        #expect(try JSONReader.parse("\"é\"") == .string("é"))
    }

    @Test func duplicateKeysLastWins() throws {
        let value = try JSONReader.parse(#"{"a":1,"b":2,"a":3}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.count == 2)
        #expect(object["a"] == .number(JSONNumber(3)))
    }

    @Test func errorsCarryOffsets() {
        do {
            _ = try JSONReader.parse(#"{"a": [1, 2,, 3]}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.offset == 12)
        }
    }

    @Test func limits() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONError.self) { try JSONReader.parse(deep) }
        #expect((try? JSONReader.parse(deep, limits: .init(maxDepth: 300))) != nil)
        #expect(throws: JSONError.self) { try JSONReader.parse("[1,2,3]", limits: JSONReader.Limits(maxBytes: 4)) }
    }

    @Test func numbersRoundTrip() throws {
        for text in ["-122.45123456789012", "5e9", "1e-6", "123456789012345678", "2.2250738585072014e-308",
                     "1.7976931348623157e308", "0.1", "4.9e-324", "9007199254740993"] {
            guard case .number(let number) = try JSONReader.parse(text) else { Issue.record("\(text) is not a number"); continue }
            #expect(number.value == Double(text), "\(text)")
            #expect(number.text == text)
        }
    }

    /// The allocation-free number paths (up to 19 digits) must round exactly like the standard library.
    @Test func numberConversionIsCorrectlyRounded() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<50_000 {
            let digits = Int.random(in: 1...19, using: &generator)
            var text = Int.random(in: 0...1, using: &generator) == 0 ? "-" : ""
            text += String(Int.random(in: 1...9, using: &generator))
            for _ in 1..<digits { text += String(Int.random(in: 0...9, using: &generator)) }
            let point = Int.random(in: 0...digits, using: &generator)
            if point > 0 && point < digits {
                text.insert(".", at: text.index(text.endIndex, offsetBy: -(digits - point)))
            }
            if Int.random(in: 0...2, using: &generator) == 0 { text += "e\(Int.random(in: -25...25, using: &generator))" }
            guard case .number(let number) = try JSONReader.parse(text) else { Issue.record("\(text) is not a number"); continue }
            #expect(number.value == Double(text), "\(text)")
        }
    }

    @Test func writerRoundTrips() throws {
        let text = #"{"a":["x\n\"y\u0001",1.50,true,null],"b":{"c":"é"}}"#
        let value = try JSONReader.parse(text)
        #expect(try JSONReader.parse(value.jsonText) == value)
    }
}
