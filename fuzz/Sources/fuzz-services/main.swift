import CFuzzDriver
import FuzzChecks

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzCheck.run(.services, data, size)
    return 0
}

FuzzCheck.warmUp(.services)
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
_ = (LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
