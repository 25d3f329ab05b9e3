import GlossCore
import Testing

@Suite struct TerminalTextTests {
    @Test func plainTextIsUnchanged() {
        let text = "Hmeimim air base, «between 3,000 and 6,000» — ملاحظة\n\tindented\r\nCRLF line\n"
        #expect(TerminalText.escapingControls(text) == text)
    }

    @Test func escapeSequencesAreShownNotObeyed() {
        // Retitle the window, clear the screen, move the cursor home, ring the bell.
        let hostile = "before\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[H after"
        #expect(TerminalText.escapingControls(hostile) == "before^[]0;pwned^G^[[2J^[[H after")
    }

    @Test func bytesAreEscapedLikeStrings() {
        let hostile = "a\u{1B}]0;x\u{07}\u{9B}b\u{1B}[0m"
        #expect(TerminalText.escapingControls(Array(hostile.utf8)) == Array(TerminalText.escapingControls(hostile).utf8))
        #expect(TerminalText.escapingControls(Array("plain".utf8)) == Array("plain".utf8))
    }

    @Test func loneCarriageReturnBackspaceAndDeleteAreEscaped() {
        // A carriage return could overwrite what was printed before it on the line.
        #expect(TerminalText.escapingControls("credible\rnot credible") == "credible^Mnot credible")
        #expect(TerminalText.escapingControls("a\u{08}b\u{7F}c\u{00}d\u{0C}e") == "a^Hb^?c^@d^Le")
    }

    @Test func c1ControlsAreEscapedButOtherLatin1IsNot() {
        // U+009B is a one-character CSI on some terminals; U+00A0 and U+00E9 are ordinary text.
        #expect(TerminalText.escapingControls("x\u{9B}2Jy\u{85}z\u{A0}é") == "x<U+009B>2Jy<U+0085>z\u{A0}é")
    }

    @Test func glossColourCodesPassButOthersDoNot() {
        let ours = "\u{1B}[4;33mquote\u{1B}[0m \u{1B}[2m[1]\u{1B}[0m \u{1B}[31m[-a-]\u{1B}[0m\u{1B}[32m{+b+}\u{1B}[0m"
        #expect(TerminalText.escapingControls(ours) == ours)
        // Concealed text and a colour code cut short are not Gloss's: shown escaped.
        #expect(TerminalText.escapingControls("\u{1B}[8mhidden\u{1B}[0m") == "^[[8mhidden\u{1B}[0m")
        #expect(TerminalText.escapingControls("end\u{1B}[") == "end^[[")
        #expect(TerminalText.escapingControls("\u{1B}[31;1;1;1;1;1;1m") == "^[[31;1;1;1;1;1;1m")
    }
}
