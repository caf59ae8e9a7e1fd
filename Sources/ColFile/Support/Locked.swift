import Foundation

/// A value shared between threads, reached only while holding a lock.
///
/// Used instead of the standard library's `Synchronization.Mutex`, whose contended path on Linux
/// waits on a futex inside the uninstrumented `libswiftSynchronization.so`: ThreadSanitizer then
/// misses the happens-before edge and reports every contended critical section as a data race
/// (reproduced with a 4-thread `Mutex<[Int: Int]>` whose critical section sleeps). `NSLock` is a
/// `pthread_mutex_t`, which ThreadSanitizer intercepts, so CI's TSan run reports only real races.
/// The tests share results between threads through it for the same reason (package access).
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    /// Only touched between `lock()` and `unlock()`.
    private var value: Value

    /// Wraps `value`.
    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` on the value while holding the lock.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
