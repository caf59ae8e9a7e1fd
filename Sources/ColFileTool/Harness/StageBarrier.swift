/// Lets the harness hold every worker at a ``WorkerStage`` until all live workers have reached it.
///
/// Workers that end (exit, fail or are killed) ``leave(after:)`` the barrier, so the others are
/// not held for them. When the last expected worker arrives at a stage, ``onComplete`` runs once
/// (before anyone is released), e.g. to delete the file once every worker has it open.
actor StageBarrier {
    private var expected: Int
    private var arrivals: [WorkerStage: Int] = [:]
    private var waiters: [WorkerStage: [CheckedContinuation<Void, Never>]] = [:]
    private var completed: Set<WorkerStage> = []
    private let onComplete: @Sendable (WorkerStage) -> Void

    /// A barrier for `count` workers.
    init(count: Int, onComplete: @escaping @Sendable (WorkerStage) -> Void = { _ in }) {
        expected = count
        self.onComplete = onComplete
    }

    /// Waits until every live worker has arrived at `stage`.
    func arrive(at stage: WorkerStage) async {
        arrivals[stage, default: 0] += 1
        if !complete(stage) {
            await withCheckedContinuation { waiters[stage, default: []].append($0) }
        }
    }

    /// Removes a worker that ended after reaching `stage` (or before `ready`, for nil), releasing
    /// the later stages it would have held.
    func leave(after stage: WorkerStage?) {
        expected -= 1
        for later in WorkerStage.allCases where stage.map({ later.order > $0.order }) ?? true {
            _ = complete(later)
        }
    }

    /// Releases the waiters of `stage` if everyone expected is there; returns whether it did.
    private func complete(_ stage: WorkerStage) -> Bool {
        if completed.contains(stage) { return true }
        guard let count = arrivals[stage], count >= expected else { return false }
        completed.insert(stage)
        onComplete(stage)
        for waiter in waiters.removeValue(forKey: stage) ?? [] { waiter.resume() }
        return true
    }
}

extension WorkerStage {
    /// The stage's position in the protocol.
    var order: Int { WorkerStage.allCases.firstIndex(of: self)! }
}
