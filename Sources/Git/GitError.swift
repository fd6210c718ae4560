import CLibGit2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A libgit2 failure, or a condition of the repository the caller must hear about, with libgit2's own
/// message where there is one.
public struct GitError: Error, Sendable, CustomStringConvertible, Equatable {
  public enum Kind: Sendable, Equatable {
    /// The path does not exist.
    case noSuchPath
    /// The path exists but holds no repository.
    case notARepository
    /// A revision that does not resolve to a commit.
    case unknownRevision
    /// An object that cannot be read: missing from the object store or corrupt.
    case unreadableObject
    /// Anything else libgit2 reported.
    case other
  }

  public let kind: Kind
  /// libgit2's return code (0 for conditions we detect ourselves).
  public let code: Int32
  /// What libgit2 said, or our own sentence.
  public let message: String
  /// The libgit2 call that failed.
  public let call: String

  public init(kind: Kind, code: Int32 = 0, message: String, call: String = "") {
    self.kind = kind
    self.code = code
    self.message = message
    self.call = call
  }

  public var description: String { message }

  /// The object is not in the object store at all (a blobless or partial clone, a damaged copy), as
  /// against one that is there but corrupt (bad checksum, bad zlib stream, bad header).
  public var isMissingObject: Bool { kind == .unreadableObject && code == GIT_ENOTFOUND.rawValue }

  /// Reads libgit2's thread-local last error right away: the next libgit2 call replaces it.
  static func last(_ code: Int32, call: String, kind: Kind? = nil) -> GitError {
    var message = "libgit2 error \(code)"
    var klass: Int32 = 0
    if let err = git_error_last() {
      klass = err.pointee.klass
      if let text = err.pointee.message { message = String(decoding: UnsafePointer(text).bytes(), as: UTF8.self) }
    }
    let resolved: Kind
    if let kind {
      resolved = kind
    } else if code == GIT_ENOTFOUND.rawValue && (klass == Int32(GIT_ERROR_ODB.rawValue) || klass == Int32(GIT_ERROR_ZLIB.rawValue)) {
      resolved = .unreadableObject
    } else if klass == Int32(GIT_ERROR_ODB.rawValue) || klass == Int32(GIT_ERROR_ZLIB.rawValue)
      || klass == Int32(GIT_ERROR_OBJECT.rawValue) || klass == Int32(GIT_ERROR_TREE.rawValue)
    {
      resolved = .unreadableObject
    } else {
      resolved = .other
    }
    return GitError(kind: resolved, code: code, message: message, call: call)
  }
}

@inline(__always)
func check(_ code: Int32, _ call: String, kind: GitError.Kind? = nil) throws(GitError) {
  if code < 0 { throw GitError.last(code, call: call, kind: kind) }
}

extension UnsafePointer<CChar> {
  /// The bytes of a NUL-terminated C string, without any UTF-8 repair.
  func bytes() -> UnsafeBufferPointer<UInt8> {
    let length = strlen(self)
    return UnsafeRawPointer(self).withMemoryRebound(to: UInt8.self, capacity: length) {
      UnsafeBufferPointer(start: $0, count: length)
    }
  }
}
