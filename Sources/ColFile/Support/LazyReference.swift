import Synchronization

/// A reference to an object made on first use, by whichever thread gets there first, without a
/// lock; released with its owner.
///
/// The standard library's `AtomicLazyReference` does this too, but its `load()` is not inlined
/// (a call into `libswiftSynchronization.so` and a generic metadata lookup, about 250 instructions
/// per load, on every attach; BENCHMARKS.md, "Attach: the user-space work at open"). This holds the
/// object as an `Unmanaged` in an `Atomic`: `Atomic`'s operations are inlined into the caller.
///
/// Ownership: the stored reference holds one retain, taken when it is stored (a thread that loses
/// the race releases its own object) and given back in `deinit`.
@safe
struct LazyReference<Instance: AnyObject & Sendable>: ~Copyable, @unchecked Sendable {
    /// The object once made, retained once.
    private let storage = unsafe Atomic<Unmanaged<Instance>?>(nil)

    /// No object yet.
    init() {}

    deinit {
        unsafe storage.load(ordering: .acquiring)?.release()
    }

    /// The object, or nil while none was made.
    func load() -> Instance? {
        // The stored reference keeps the object alive while `self` lives; the caller's strong
        // reference taken here keeps it alive after.
        unsafe storage.load(ordering: .acquiring)?.takeUnretainedValue()
    }

    /// The object, made by `make` now if none was made yet (if two threads make one together, one
    /// object is kept and the other released).
    func load(orMake make: () -> Instance) -> Instance {
        if let existing = load() { return existing }
        let made = unsafe Unmanaged.passRetained(make())
        let (stored, current) = unsafe storage.compareExchange(expected: nil, desired: made,
                                                               ordering: .acquiringAndReleasing)
        if stored { return unsafe made.takeUnretainedValue() }
        unsafe made.release()
        return unsafe current!.takeUnretainedValue()
    }
}
