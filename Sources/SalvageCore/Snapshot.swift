import Git

/// One file of the tip's tree. A class: analyzers pass files around by the thousand, and a copy is
/// then one reference rather than one per field.
public final class SnapshotFile: Sendable {
  public let path: [UInt8]
  /// The path as printed (git-quoted when it is not UTF-8).
  public let displayPath: String
  public let id: ObjectID
  public let mode: UInt32
  public let size: Int
  /// Lines of text (0 for binary files and gitlinks).
  public let lines: Int
  public let language: String?
  public let fileClass: FileClass
  /// True for text files up to `Snapshot.contentCap` (lockfiles: `lockfileCap`): those whose bytes
  /// `content` gives.
  public let hasContent: Bool
  /// The bytes when the tree read kept them; else, for a file whose facts came from the cache, where
  /// `content` reads them on demand.
  private let stored: [UInt8]?
  private let source: BlobSource?
  /// Each blob-fact extractor's facts (`Snapshot.factNames` order), when the tree read drew them.
  let facts: [[UInt64]]

  public convenience init(path: [UInt8], id: ObjectID, mode: UInt32, size: Int, lines: Int, language: String?, fileClass: FileClass,
                          content: [UInt8]?) {
    self.init(path: path, id: id, mode: mode, size: size, lines: lines, language: language, fileClass: fileClass,
              hasContent: content != nil, stored: content, source: nil, facts: [])
  }

  init(path: [UInt8], id: ObjectID, mode: UInt32, size: Int, lines: Int, language: String?, fileClass: FileClass,
       hasContent: Bool, stored: [UInt8]?, source: BlobSource?, facts: [[UInt64]]) {
    self.path = path
    self.displayPath = PathText.display(path)
    self.id = id
    self.mode = mode
    self.size = size
    self.lines = lines
    self.language = language
    self.fileClass = fileClass
    self.hasContent = hasContent
    self.stored = stored
    self.source = source
    self.facts = facts
  }

  /// The bytes of text files up to `Snapshot.contentCap`; nil for binary, larger or unread files. A
  /// file known from the cache is read now: test paths before asking, as a warm scan reads no more.
  public var content: [UInt8]? {
    if let stored { return stored }
    return hasContent ? source?.bytes(id) : nil
  }

  /// Production code: source files that are not tests, vendored, generated and so on.
  public var isCode: Bool { fileClass == .source || fileClass == .test }
}

/// The tip's tree: what is in the code base today.
public struct Snapshot: Sendable {
  /// Text files larger than this are counted but their bytes are not kept for the analyzers.
  public static let contentCap = 1 << 20
  /// Lockfiles are kept up to this size: npm and Yarn lockfiles of real applications pass 1 MB.
  public static let lockfileCap = 16 << 20
  /// Blobs larger than this are not read at all (their lines are not counted).
  public static let readCap = 64 << 20

  public let files: [SnapshotFile]
  /// The names of the blob facts the files carry, in the order of `SnapshotFile.facts`.
  public let factNames: [String]
  /// Where files known from the tip-facts cache are read on demand.
  let source: BlobSource?
  private let index: [[UInt8]: Int]

  public init(files: [SnapshotFile]) {
    self.init(files: files, factNames: [], source: nil)
  }

  init(files: [SnapshotFile], factNames: [String], source: BlobSource?) {
    self.files = files
    self.factNames = factNames
    self.source = source
    var index: [[UInt8]: Int] = [:]
    for (i, file) in files.enumerated() { index[file.path] = i }
    self.index = index
  }

  /// What `extractor`, registered under `name`, draws from the file's bytes: as the tree read kept it,
  /// else drawn now. Nil when the file has no bytes at hand (binary or too large).
  public func facts(of file: SnapshotFile, named name: String, _ extractor: some BlobFactExtractor) -> [UInt64]? {
    guard file.hasContent else { return nil }
    if let slot = factNames.firstIndex(of: name), slot < file.facts.count { return file.facts[slot] }
    return file.content?.withUnsafeBufferPointer { extractor.facts(of: $0) }
  }

  public func file<C: Collection>(at path: C) -> SnapshotFile? where C.Element == UInt8 {
    index[Array(path)].map { files[$0] }
  }
}
