import CEventRouter
import EventPatterns

@c @implementation
public func evr_pattern_validate(_ pattern: UnsafePointer<CChar>?, _ patternLength: Int,
                                 _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let text = try inputString(pattern, patternLength, "pattern")
        if let error = EventPattern.validate(text) { throw Failure(error) }
    }
}

@c @implementation
public func evr_pattern_test(_ outMatch: UnsafeMutablePointer<Int32>?,
                             _ pattern: UnsafePointer<CChar>?, _ patternLength: Int,
                             _ event: UnsafePointer<CChar>?, _ eventLength: Int,
                             _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let outMatch else { throw .argument("out_match is NULL") }
        let text = try inputString(pattern, patternLength, "pattern")
        let bytes = try inputBytes(event, eventLength, "event")
        try checkUTF8(bytes, "event")
        let compiled: EventPattern
        do throws(PatternError) { compiled = try EventPattern(json: text) } catch { throw Failure(error) }
        do throws(JSONError) {
            outMatch.pointee = try compiled.matches(bytes) ? 1 : 0
        } catch {
            throw Failure(error)
        }
    }
}
