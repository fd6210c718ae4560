import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML element with its line, read through Foundation's XMLParser (external entities off).
final class MarkupElement: @unchecked Sendable {
  let name: String
  let attributes: [String: String]
  let line: Int
  fileprivate(set) var children: [MarkupElement] = []
  fileprivate(set) var text = ""

  init(name: String, attributes: [String: String], line: Int) {
    self.name = name
    self.attributes = attributes
    self.line = line
  }

  /// Children with this local name (namespace prefixes ignored).
  func all(_ name: String) -> [MarkupElement] { children.filter { $0.localName == name } }
  func first(_ name: String) -> MarkupElement? { children.first { $0.localName == name } }
  /// The trimmed text of the first child with this name.
  func value(_ name: String) -> String? { first(name).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) } }
  var localName: String { name.split(separator: ":").last.map(String.init) ?? name }
  /// Every element below this one, depth first.
  func descendants(_ name: String) -> [MarkupElement] {
    var out: [MarkupElement] = []
    var stack = children.reversed() as [MarkupElement]
    while let e = stack.popLast() {
      if e.localName == name { out.append(e) }
      stack.append(contentsOf: e.children.reversed())
    }
    return out
  }
}

enum MarkupDocument {
  /// Deeper elements make the manifest unreadable: no manifest nests this deep, and a tree of classes
  /// 50,000 deep overflowed the stack when it was freed (one deinit inside the other).
  static let maximumDepth = 256

  static func parse(_ bytes: [UInt8]) throws(ManifestProblem) -> MarkupElement {
    // Foundation's XMLParser traps on a name that is not UTF-8 (found by fuzzing: `<\xf0roject>`, and
    // `targetFra\xffmework=` under a declared encoding libxml2 does not know): a document must be UTF-8
    // before it gets there, unless it declares a single-byte encoding that libxml2 converts to UTF-8.
    if !declaresSingleByteEncoding(bytes), String(validating: bytes, as: UTF8.self) == nil {
      throw ManifestProblem(line: firstInvalidLine(bytes), "invalid XML: not UTF-8")
    }
    let builder = TreeBuilder()
    let parser = XMLParser(data: Data(bytes))
    parser.shouldResolveExternalEntities = false
    parser.shouldProcessNamespaces = false
    parser.delegate = builder
    builder.parser = parser
    let ok = parser.parse()
    if builder.tooDeep {
      throw ManifestProblem(line: builder.lastLine > 0 ? builder.lastLine : nil, "elements nested more than \(maximumDepth) deep")
    }
    guard ok, let root = builder.root else {
      var line = parser.lineNumber > 0 ? parser.lineNumber : builder.lastLine
      // libxml2 reports an error at the end of the text on the line after it: point at the last line with text.
      let lastText = ManifestText.lines(bytes).lastIndex { !$0.allSatisfy { $0 == " " || $0 == "\t" } }.map { $0 + 1 } ?? 1
      line = min(line, lastText)
      let reason = (parser.parserError as NSError?).map { Self.describe($0) } ?? "not well-formed"
      throw ManifestProblem(line: line > 0 ? line : nil, "invalid XML: " + reason)
    }
    return root
  }

  /// Single-byte encodings in which every byte is a character, which libxml2 converts to UTF-8 itself.
  static let singleByteEncodings: Set<Substring> = ["iso-8859-1", "latin1", "iso_8859-1", "iso-8859-15", "windows-1252", "cp1252"]

  /// An XML declaration naming one of `singleByteEncodings`; any other declared encoding (or none)
  /// must come as UTF-8.
  static func declaresSingleByteEncoding(_ bytes: [UInt8]) -> Bool {
    let head = String(decoding: bytes.prefix(200), as: UTF8.self).lowercased()
    guard head.hasPrefix("<?xml"), let declaration = head.split(separator: ">").first,
          let at = declaration.range(of: "encoding=") else { return false }
    let name = declaration[at.upperBound...].dropFirst().prefix { $0 != "\"" && $0 != "'" }
    return singleByteEncodings.contains(name)
  }

  /// The line of the first byte that does not decode as UTF-8.
  static func firstInvalidLine(_ bytes: [UInt8]) -> Int {
    var line = 1, start = 0
    for (i, byte) in bytes.enumerated() where byte == 0x0a {
      if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
      line += 1
      start = i + 1
    }
    return line
  }

  private static func describe(_ error: NSError) -> String {
    // libxml2's messages are terse but specific; Foundation's generic description is not.
    if let message = error.userInfo[NSLocalizedDescriptionKey] as? String, !message.isEmpty,
       !message.hasPrefix("The operation could not") {
      return message.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return "not well-formed (XML parser error \(error.code))"
  }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
  weak var parser: XMLParser?
  var root: MarkupElement?
  var stack: [MarkupElement] = []
  var lastLine = 0
  var tooDeep = false

  func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
              attributes: [String: String] = [:]) {
    lastLine = parser.lineNumber
    guard !tooDeep else { return }
    guard stack.count < MarkupDocument.maximumDepth else {
      tooDeep = true
      parser.abortParsing()
      return
    }
    let element = MarkupElement(name: elementName, attributes: attributes, line: parser.lineNumber)
    if let parent = stack.last { parent.children.append(element) } else if root == nil { root = element }
    stack.append(element)
  }

  func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
    lastLine = parser.lineNumber
    if !tooDeep { stack.removeLast() }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    stack.last?.text += string
  }

  func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
    stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
  }
}
