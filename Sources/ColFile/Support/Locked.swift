import Glibc

/// A value shared between threads, reached only while holding a lock.
///
/// Used instead of the standard library's `Synchronization.Mutex`, whose contended path on Linux
/// waits on a futex inside the uninstrumented `libswiftSynchronization.so`: ThreadSanitizer then
/// misses the happens-before edge and reports every contended critical section as a data race
/// (reproduced with a 4-thread `Mutex<[Int: Int]>` whose critical section sleeps). A
/// `pthread_mutex_t` is intercepted by ThreadSanitizer, so CI's TSan run reports only real races.
/// The lock is a `pthread_mutex_t` of its own rather than Foundation's `NSLock` (an object that
/// allocates a mutex and a condition variable): a reader makes several of these at open
/// (BENCHMARKS.md, "Attach"). The tests share results between threads through it for the same
/// reason (package access).
@safe
package final class Locked<Value>: @unchecked Sendable {
    /// Allocated and initialized in `init`, destroyed in `deinit`; its address never changes.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Only touched between `pthread_mutex_lock` and `pthread_mutex_unlock`, so the lock already
    /// makes every access exclusive: the runtime's dynamic exclusivity check of a class property
    /// (`swift_beginAccess`, about 120 instructions a `withLock`, two on every attach for the
    /// SIGBUS guard's registry; BENCHMARKS.md "Attach: the user-space work at open") is not made.
    @exclusivity(unchecked) private var value: Value

    /// Wraps `value`.
    package init(_ value: Value) {
        unsafe mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        // A default mutex: fails only for lack of memory, which the allocation above would have met.
        let status = unsafe pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        unsafe self.value = value
    }

    deinit {
        unsafe pthread_mutex_destroy(mutex)
        unsafe mutex.deallocate()
    }

    /// Runs `body` on the value while holding the lock.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        return try unsafe body(&value)
    }
}
