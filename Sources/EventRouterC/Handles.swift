import CEventRouter
import Synchronization

/// The table of live handles.
///
/// A handle is not a pointer to an object: it is a never-reused 60-bit id with a 4-bit type tag,
/// dressed as an opaque pointer. Every call looks the id up (one uncontended lock and one hash
/// probe) and retains the object for the duration of the call, so a handle that was never
/// created, was already freed or has the wrong type is an `EVR_E_HANDLE` status, never a crash,
/// and freeing a handle while another thread uses it only ends the handle, not the call.
final class HandleTable: Sendable {
    enum Kind: UInt, Sendable {
        case ruleset = 0x1
        case matcher = 0x2
        case router = 0x3
    }

    static let shared = HandleTable()

    private let entries = Mutex<[UInt: Entry]>([:])
    private let nextID = Atomic<UInt>(1)

    struct Entry: @unchecked Sendable {
        let object: AnyObject
    }

    func register(_ object: AnyObject, kind: Kind) -> OpaquePointer {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let bits = (id << 4) | kind.rawValue
        entries.withLock { $0[bits] = Entry(object: object) }
        return OpaquePointer(bitPattern: bits)!
    }

    /// The object behind a handle of `kind`, retained.
    @inline(__always)
    func lookup<T: AnyObject>(_ handle: OpaquePointer?, kind: Kind, as type: T.Type, _ what: StaticString) throws(Failure) -> T {
        guard let handle else { throw .argument("\(what) is NULL") }
        let bits = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle)))
        guard bits & 0xF == kind.rawValue, let entry = entries.withLock({ $0[bits] }) else { throw .handle(what) }
        // The tag was checked: the object is of the tagged type.
        return unsafeDowncast(entry.object, to: type)
    }

    /// Ends a handle; returns its object so that the caller releases it outside the lock.
    func remove(_ handle: OpaquePointer?, kind: Kind) -> AnyObject? {
        guard let handle else { return nil }
        let bits = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle)))
        guard bits & 0xF == kind.rawValue else { return nil }
        return entries.withLock { $0.removeValue(forKey: bits) }?.object
    }
}
