import Foundation

/// Finds a version counter that is out of range in a JSON body, to name it in an error message.
enum CounterDiagnosis {
    static let maxCounter = Double(UInt64(1) << 53) - 1

    /// "states[0].vv.<replica>: version counter out of range ...", or nil when the body is not
    /// JSON at all or every counter is fine.
    static func firstBadCounter(in body: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else { return nil }
        return walk(root, path: "", inCounters: false)
    }

    private static func walk(_ value: Any, path: String, inCounters: Bool) -> String? {
        if let dictionary = value as? [String: Any] {
            for key in dictionary.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if let found = walk(dictionary[key]!, path: child, inCounters: inCounters || key == "vv" || key == "n" || key == "counter") {
                    return found
                }
            }
        } else if let array = value as? [Any] {
            for (index, element) in array.enumerated() {
                if let found = walk(element, path: "\(path)[\(index)]", inCounters: inCounters) { return found }
            }
        } else if inCounters, let number = value as? NSNumber, !(value is Bool) {
            let double = number.doubleValue
            if double < 1 || double > maxCounter || double.rounded() != double {
                return "\(path): version counter out of range (an integer 1...2^53-1 is required), got \(number)"
            }
        } else if inCounters, value is NSNull || value is String {
            return nil
        }
        return nil
    }
}
