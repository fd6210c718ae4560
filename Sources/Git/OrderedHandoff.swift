import Foundation

/// Hand-off between worker threads that fill numbered chunks and the one thread that takes them in
/// order: workers ask for the next chunk to make (`next`), hand it over (`put`) or fail; the consumer
/// waits for each chunk in turn (`take`). With `ahead`, workers stay at most that many chunks in front
/// of the consumer, bounding what is held in memory. Used by the history pass and the line tracker.
final class OrderedHandoff<Chunk>: @unchecked Sendable {
  private let condition = NSCondition()
  private var slots: [Chunk?]
  private var nextChunk = 0
  private var taken = 0
  private let ahead: Int?
  private var failure: GitError?
  private var cancelled = false
  /// Names the work in the error made of a failure that is not a `GitError`.
  private let call: String

  init(chunks: Int, ahead: Int? = nil, call: String) {
    slots = Array(repeating: nil, count: chunks)
    self.ahead = ahead.map { max(1, $0) }
    self.call = call
  }

  /// The next chunk a worker should make; nil when all are given out, or the work failed or was cancelled.
  func next() -> Int? {
    condition.lock()
    defer { condition.unlock() }
    if let ahead {
      while !cancelled, failure == nil, nextChunk < slots.count, nextChunk - taken >= ahead { condition.wait() }
    }
    guard !cancelled, failure == nil, nextChunk < slots.count else { return nil }
    defer { nextChunk += 1 }
    return nextChunk
  }

  func put(_ index: Int, _ chunk: Chunk) {
    condition.lock()
    slots[index] = chunk
    condition.broadcast()
    condition.unlock()
  }

  func fail(_ error: any Error) {
    condition.lock()
    if failure == nil { failure = error as? GitError ?? GitError(kind: .other, message: "\(error)", call: call) }
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  /// Waits for chunk `index`, then hands it over (and lets a worker held back by `ahead` go on).
  func take(_ index: Int) throws(GitError) -> Chunk {
    condition.lock()
    defer { condition.unlock() }
    while slots[index] == nil {
      if let failure { throw failure }
      condition.wait()
    }
    let chunk = slots[index]!
    slots[index] = nil
    taken = index + 1
    condition.broadcast()
    return chunk
  }
}
