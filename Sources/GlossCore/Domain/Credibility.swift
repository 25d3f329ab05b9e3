/// A claim's credibility on the Admiralty scale, 1 (confirmed) to 6 (cannot be judged).
public enum Credibility {
    /// The valid values.
    public static let range: ClosedRange<Int64> = 1...6

    /// What a value means.
    public static func meaning(_ value: Int64) -> String {
        switch value {
        case 1: return "confirmed"
        case 2: return "probably true"
        case 3: return "possibly true"
        case 4: return "doubtful"
        case 5: return "improbable"
        default: return "truth cannot be judged"
        }
    }
}
