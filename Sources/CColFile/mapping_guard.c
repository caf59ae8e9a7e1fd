// The SIGBUS guard of file mappings (RELIABILITY.md, "Faults around the file").
//
// A process that maps a file and reads a page the file no longer has (another process truncated
// it) gets SIGBUS. Swift code cannot unwind from a signal handler, so the repair happens here, in
// C, inside the handler: the whole registered mapping is replaced by zero-filled anonymous pages
// (mmap MAP_FIXED over it), the mapping is marked damaged, and the faulting load runs again and
// reads zero. The library then reports `fileChanged` from its checks.
//
// Everything the handler touches is async-signal-safe: a fixed array of slots read with C11
// atomics (lock-free on every platform Swift runs on), the raw mmap system call (not the libc or
// sanitizer wrapper) and errno saved and restored. Registration and removal run outside signal
// context and never block the handler: a slot's `sequence` is a seqlock (odd while its range is
// being written), so the handler never acts on a half-written range.
//
// Faults that are not ours (another address, a signal sent with kill, another si_code) go to the
// handler that was installed before ours (Swift's crash handler, a sanitizer's, or the default
// action), so crashes still crash with the same report.

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "CColFile.h"

/// How many mappings can be guarded at once; more are left unguarded (as before the guard).
#define SLOT_COUNT 4096

struct slot {
    /// Even when the slot is stable, odd while it is being written; each change adds 2 overall.
    _Atomic uint64_t sequence;
    /// 1 while a registration owns the slot.
    _Atomic int taken;
    /// The page-aligned range [start, end) of the mapping.
    _Atomic uintptr_t start;
    _Atomic uintptr_t end;
    /// 1 once the handler replaced the mapping (or the owner marked it inconsistent).
    _Atomic int damaged;
    /// 1 for a read-write mapping (a draft's): its zero-filled replacement is writable too.
    _Atomic int writable;
};

/// The registry, its counters ahead of its slots in one object: a registration and its release
/// touch the counters and (in a process that opens and closes files in turn) the first slot, one
/// page in all. An attach after the unmap of a large mapping, which flushes the whole TLB, pays a
/// TLB miss on every page it touches (BENCHMARKS.md, "Attach: the user-space work at open").
static struct {
    /// One past the highest slot ever taken: the handler looks no further.
    _Atomic int slots_used;
    /// Where registration starts looking for a free slot.
    _Atomic unsigned next_slot;
    /// Mappings found damaged (replaced by the handler, or marked) since the process started.
    _Atomic uint64_t damage_events;
    /// 0 until the handler is installed, then 1 (installed) or -1 (sigaction failed).
    _Atomic int installed;
    uintptr_t page_size;
    struct slot slots[SLOT_COUNT];
} registry;

static struct sigaction previous_action;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/// The raw system call, so that no wrapper (libc's, ASan's or TSan's interceptor) runs in the handler.
static int remap_zero(uintptr_t start, uintptr_t end, int writable) {
    long result = syscall(SYS_mmap, (void *)start, (size_t)(end - start), PROT_READ | (writable ? PROT_WRITE : 0),
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0L);
    return result == (long)start ? 0 : -1;
}

/// Repairs the registered mapping holding `address`; 1 when there was one and it was replaced.
static int repair(uintptr_t address) {
    int used = atomic_load(&registry.slots_used);
    for (int index = 0; index < used; index++) {
        struct slot *slot = &registry.slots[index];
        uint64_t before = atomic_load(&slot->sequence);
        if (before & 1) continue;  // being registered or removed: no reader is inside it
        uintptr_t start = atomic_load(&slot->start);
        uintptr_t end = atomic_load(&slot->end);
        int writable = atomic_load(&slot->writable);
        if (atomic_load(&slot->sequence) != before) continue;
        if (start == 0 || address < start || address >= end) continue;
        // The whole mapping, not only the missing pages: after this every byte reads as zero,
        // the simplest rule to state (and a file changed in place may have new bytes in the
        // pages that still exist). A read-write mapping's stores then land in private memory.
        if (remap_zero(start, end, writable) != 0) return 0;
        atomic_store(&slot->damaged, 1);
        atomic_fetch_add(&registry.damage_events, 1);
        return 1;
    }
    return 0;
}

/// Hands a signal that is not ours to the handler installed before ours.
static void chain(int signal_number, siginfo_t *info, void *context) {
    if (previous_action.sa_flags & SA_SIGINFO) {
        if (previous_action.sa_sigaction != NULL) previous_action.sa_sigaction(signal_number, info, context);
        return;
    }
    if (previous_action.sa_handler == SIG_DFL || previous_action.sa_handler == SIG_IGN) {
        // The default action. A fault: returning runs the faulting instruction again, which now
        // raises SIGBUS with the default disposition (the process dies by the signal, as without
        // the guard). A signal sent by a process: raise it again, delivered once this returns.
        struct sigaction default_action;
        memset(&default_action, 0, sizeof default_action);
        default_action.sa_handler = SIG_DFL;
        sigemptyset(&default_action.sa_mask);
        sigaction(signal_number, &default_action, NULL);
        if (info == NULL || info->si_code <= 0) raise(signal_number);
        return;
    }
    previous_action.sa_handler(signal_number);
}

static void handle_bus_error(int signal_number, siginfo_t *info, void *context) {
    int saved_errno = errno;
    // BUS_ADRERR: a page of a file mapping beyond the file's end (or unreadable: an I/O error);
    // BUS_MCEERR_AR: a memory error consumed in such a page. si_code > 0: sent by the kernel.
    if (info != NULL && (info->si_code == BUS_ADRERR || info->si_code == BUS_MCEERR_AR)
        && repair((uintptr_t)info->si_addr)) {
        errno = saved_errno;
        return;
    }
    errno = saved_errno;
    chain(signal_number, info, context);
}

static void install(void) {
    registry.page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handle_bus_error;
    sigemptyset(&action.sa_mask);
    // SA_ONSTACK: run on the thread's alternate stack when it has one (Swift's crash handler sets
    // one up), like the handler we chain to.
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    atomic_store(&registry.installed, sigaction(SIGBUS, &action, &previous_action) == 0 ? 1 : -1);
}

int64_t colfile_guard_register(const void *start, size_t length, int writable) {
    if (start == NULL || length == 0) return -1;
    // After the first registration, one load instead of a call of `pthread_once` (a page of libc's
    // code); `install` stores `installed` last, so `page_size` is set once it reads non-zero.
    if (atomic_load(&registry.installed) == 0) pthread_once(&install_once, install);
    if (atomic_load(&registry.installed) != 1) return -1;
    uintptr_t begin = (uintptr_t)start;
    uintptr_t end = (begin + length + registry.page_size - 1) & ~(registry.page_size - 1);
    unsigned first = atomic_fetch_add(&registry.next_slot, 1);
    for (unsigned step = 0; step < SLOT_COUNT; step++) {
        int index = (int)((first + step) % SLOT_COUNT);
        struct slot *slot = &registry.slots[index];
        int expected = 0;
        if (!atomic_compare_exchange_strong(&slot->taken, &expected, 1)) continue;
        int used = atomic_load(&registry.slots_used);
        while (used <= index && !atomic_compare_exchange_weak(&registry.slots_used, &used, index + 1)) {}
        uint64_t sequence = atomic_fetch_add(&slot->sequence, 1) + 1;  // odd: being written
        atomic_store(&slot->start, begin);
        atomic_store(&slot->end, end);
        atomic_store(&slot->damaged, 0);
        atomic_store(&slot->writable, writable != 0);
        atomic_store(&slot->sequence, sequence + 1);  // even: stable
        return (int64_t)(((sequence + 1) << 12) | (uint64_t)index);
    }
    return -1;
}

/// The slot of `handle` if the handle is still the slot's current registration.
static struct slot *slot_of(int64_t handle) {
    if (handle < 0) return NULL;
    struct slot *slot = &registry.slots[handle & 0xFFF];
    return atomic_load(&slot->sequence) == ((uint64_t)handle >> 12) ? slot : NULL;
}

int colfile_guard_is_damaged(int64_t handle) {
    struct slot *slot = slot_of(handle);
    return slot != NULL && atomic_load(&slot->damaged);
}

void colfile_guard_mark_damaged(int64_t handle) {
    struct slot *slot = slot_of(handle);
    if (slot != NULL && !atomic_exchange(&slot->damaged, 1)) atomic_fetch_add(&registry.damage_events, 1);
}

int colfile_guard_unregister(int64_t handle) {
    struct slot *slot = slot_of(handle);
    if (slot == NULL) return 0;
    int damaged = atomic_load(&slot->damaged);
    atomic_fetch_add(&slot->sequence, 1);  // odd: the handler skips it from here on
    atomic_store(&slot->start, 0);
    atomic_store(&slot->end, 0);
    atomic_store(&slot->damaged, 0);
    atomic_fetch_add(&slot->sequence, 1);
    atomic_store(&slot->taken, 0);
    // The next registration looks here first: a process that opens and closes files in turn
    // reuses one slot (and one entry of the Swift registry) whose cache lines are warm, instead of
    // walking all 4096 (a new cold line, and a longer scan for the handler, on every attach).
    atomic_store(&registry.next_slot, (unsigned)(handle & 0xFFF));
    return damaged;
}

uint64_t colfile_guard_damage_events(void) {
    return atomic_load(&registry.damage_events);
}
