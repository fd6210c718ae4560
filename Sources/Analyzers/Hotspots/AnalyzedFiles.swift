import Foundation
import SalvageCore
import TOML

/// The files of the tip that history figures are about: the classifier's vendored, generated,
/// lockfile and binary files (or whatever classes the rules exclude) and what `.gitattributes` marks
/// `linguist-vendored` or `linguist-generated` are left out. Maps history path ids to these files
/// with a flat array (submodule links are no files here), so that the passes over millions of changes do no string work.
struct AnalyzedFiles {
  let files: [SnapshotFile]
  /// Indexed by `PathID`: the file's index in `files`, or -1.
  let indexOfPath: [Int32]
  /// Each file's component.
  let components: [String]
  /// Files left out because of `.gitattributes`.
  let excludedByAttributes: Int
  /// Files left out because of their class.
  let excludedByClass: Int

  init(_ context: ScanContext, tip: TipPaths, sorted: SortedTip, excludedClasses: Set<FileClass>) {
    let all = context.snapshot.files
    var kept: [Int] = []
    var byAttributes = 0, byClass = 0
    for n in sorted.order {
      if excludedClasses.contains(all[n].fileClass) {
        byClass += 1
      } else if sorted.excludedByAttributes[n] {
        byAttributes += 1
      } else {
        kept.append(n)
      }
    }
    var index = [Int32](repeating: -1, count: context.history.paths.count)
    for (i, n) in kept.enumerated() where tip.pathIDs[n] >= 0 { index[Int(tip.pathIDs[n])] = Int32(i) }
    self.files = kept.map { all[$0] }
    self.indexOfPath = index
    self.components = kept.map { tip.components[$0] }
    self.excludedByAttributes = byAttributes
    self.excludedByClass = byClass
  }

  var count: Int { files.count }

  /// The file index of a change's path, or -1.
  @inline(__always) func index(of path: PathID) -> Int { Int(indexOfPath[Int(path)]) }
}

/// What `AnalyzedFiles` needs of the tip whatever the classes left out: the files in path order and what
/// `.gitattributes` leaves out. The hotspot and ownership analyzers leave out different classes, and
/// share this model.
struct SortedTip: ScanModel {
  /// Snapshot indexes by path, bytewise; submodule links (another repository's commit, not a file of
  /// this one) left out.
  let order: [Int]
  /// By snapshot index.
  let excludedByAttributes: [Bool]

  static func compile(_ rules: RuleSet) {}

  static func make(_ context: ScanContext, rules: Void, models: Models) -> SortedTip { SortedTip(context.snapshot) }

  init(_ snapshot: Snapshot) {
    let attributes = LinguistAttributes(snapshot: snapshot)
    let all = snapshot.files
    excludedByAttributes = all.map { attributes.excludes($0.path) }
    // memcmp, then the shorter first: the order of `lexicographicallyPrecedes`, without comparing
    // byte by byte through the generic sequence code. Paths are unique, so no two compare equal.
    order = all.indices.filter { all[$0].mode != 0o160000 }.sorted { a, b in
      all[a].path.withUnsafeBufferPointer { x in
        all[b].path.withUnsafeBufferPointer { y in
          let common = min(x.count, y.count)
          let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
          return order != 0 ? order < 0 : (x.count != y.count ? x.count < y.count : a < b)
        }
      }
    }
  }
}

extension FileClass {
  /// Parses a list of class names from the rules; unknown names are a rule error.
  static func set(_ names: [String]?, file: String, default fallback: Set<FileClass>) throws(RuleError) -> Set<FileClass> {
    guard let names else { return fallback }
    var out = Set<FileClass>()
    for name in names {
      guard let c = FileClass(rawValue: name) else {
        throw RuleError(file: file, message: "unknown file class '\(name)' (known: \(FileClass.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      out.insert(c)
    }
    return out
  }
}
