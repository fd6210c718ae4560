import GlobEngine
import SalvageCore

/// Pairs of files that are expected to change together, so that their coupling across components is no
/// risk: a file and its own test, a schema and the code generated from it, implementing or using it
/// (`x.proto` with `x.go`, `x_pb2.py`, a client), and any pair with a side that is not production code
/// (a test, a doc, a configuration file). The rules are `hotspots.toml`'s `[coupling]` lists.
struct ExpectedCoupling: Sendable {
  enum Reason: String, Sendable {
    case ownTest = "own-test"
    case schema
    case notCode = "not-code"
  }

  let riskClasses: Set<FileClass>
  let schemas: GlobSet
  let testPrefixes: [String]
  let testSuffixes: [String]

  /// Why `a` and `b` are expected to change together, or nil when their coupling is a risk.
  func reason(_ a: SnapshotFile, _ b: SnapshotFile) -> Reason? {
    if a.fileClass == .test || b.fileClass == .test {
      let (test, other) = a.fileClass == .test ? (a, b) : (b, a)
      if other.fileClass != .test, tied(stem(test), to: stem(other), prefixes: testPrefixes, suffixes: testSuffixes) { return .ownTest }
    }
    // A schema is the explicit interface itself: code on the other side implements it or uses what is
    // generated from it (memos: instance_setting.proto with ai_service.go and AISection.tsx).
    if schemas.matches(a.path) != schemas.matches(b.path) { return .schema }
    if !riskClasses.contains(a.fileClass) || !riskClasses.contains(b.fileClass) { return .notCode }
    return nil
  }

  /// The file name up to its first dot ("user.spec.ts" -> "user"), lower-cased.
  private func stem(_ file: SnapshotFile) -> String {
    let name = file.path.split(separator: UInt8(ascii: "/")).last.map { String(decoding: $0, as: UTF8.self) } ?? ""
    return String(name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").lowercased()
  }

  /// Whether `stem` is `subject` with at most one of the prefixes and one of the suffixes around it
  /// ("user_test" and "user", "test_user" and "user").
  private func tied(_ stem: String, to subject: String, prefixes: [String], suffixes: [String]) -> Bool {
    guard !subject.isEmpty, stem.count >= subject.count else { return false }
    for p in [""] + prefixes where stem.hasPrefix(p) {
      for x in [""] + suffixes where stem.count == p.count + subject.count + x.count && stem.hasSuffix(x) {
        if stem.dropFirst(p.count).dropLast(x.count) == subject { return true }
      }
    }
    return false
  }
}
