#!/usr/bin/env python3
"""Generates Fixtures/hostile/cli/: malformed inputs to the `gloss` command line, each with the
exit status and a substring of the error message it must get, listed in manifest.json.

CLIHostileInputTests (Tests/GlossCLITests) runs every case against the BUILT binary on a store
holding two documents (seed 001 and files/base-graphemes.txt), an annotation and a note, and
checks that nothing in the store changed. Placeholders in arguments, filled in by the test:
  {files}  this corpus' files/ folder       {tmp}   a scratch folder of the test
  {doc}    the seed document's ID           {gdoc}  the ID of base-graphemes.txt's document
  {ann}    the annotation's ID              {note}  the note's ID
  {rev}    a revision ID                    {huge}  a file 1 byte over the import limit,
  {fifo}   a named pipe nobody writes         made at test time (not committed)
  {store}  the store's folder

Deterministic: re-running it rewrites the same files.

    python3 scripts/gen-hostile-cli-corpus.py        # writes Fixtures/hostile/cli/
"""
import gzip
import json
import os
import shutil
import unicodedata

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Fixtures", "hostile", "cli")
FILES = os.path.join(OUT, "files")
cases = []
files = {}

# Exit statuses (Sources/gloss/Support/ExitStatus.swift; 64 is swift-argument-parser's usage error).
USAGE, DATA, NOINPUT = 64, 65, 66


def file(name, content):
    if isinstance(content, str):
        content = content.encode("utf-8")
    files[name] = bytes(content)
    return "{files}/" + name


def case(name, args, stderr, status, why, stdin=None):
    entry = {"name": name, "args": args, "status": status, "stderr": stderr, "why": why}
    if stdin is not None:
        entry["stdin"] = stdin
    cases.append(entry)


# The document with characters made of several scalars (all NFC already: no precomposed forms).
GRAPHEMES = ("Intake notes\n"
             "The q\u0303 sign, then a flag \U0001F1EB\U0001F1F7 and a family \U0001F469\u200D\U0001F469\u200D\U0001F467.\n"
             "Troops left; troops returned; troops left again.\n")
assert unicodedata.normalize("NFC", GRAPHEMES) == GRAPHEMES
file("base-graphemes.txt", GRAPHEMES)
LENGTH = len(GRAPHEMES)  # Python indexes code points: scalar offsets
Q = GRAPHEMES.index("q\u0303")
FLAG = GRAPHEMES.index("\U0001F1EB")
FAMILY = GRAPHEMES.index("\U0001F469")

# 1. Import: binary files.
BINARY = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x00trailer\n",
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00",
    "gzip": gzip.compress(b"Russian forces begin drawdown in Syria\n", mtime=0),
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
    "sqlite": b"SQLite format 3\x00" + b"\x10\x00\x01\x01\x00@  " + b"\x00" * 20,
    "nul-inside": b"Troops withdrew\x00 from Hmeimim.\n",
    "nul-end": b"Troops withdrew from Hmeimim.\n\x00",
    "nul-only": b"\x00",
    "utf16-no-bom": "Troops withdrew".encode("utf-16-le"),
}
for name, content in BINARY.items():
    path = file(f"binary-{name}.bin", content)
    case(f"import-binary-{name}", ["import", path], "looks binary", DATA, f"{name} bytes contain NUL")

# 2. Import: text that is not UTF-8.
INVALID_UTF8 = {
    "overlong-slash-2": b"path \xc0\xaf etc\n",
    "overlong-slash-3": b"path \xe0\x80\xaf etc\n",
    "overlong-slash-4": b"path \xf0\x80\x80\xaf etc\n",
    "overlong-nul": b"text \xc0\x80 end\n",
    "overlong-a": b"\xc1\x81 overlong A\n",
    "surrogate-high": b"lone \xed\xa0\x80 high surrogate\n",
    "surrogate-low": b"lone \xed\xbf\xbf low surrogate\n",
    "surrogate-pair-cesu8": b"emoji \xed\xa0\xbd\xed\xb8\x80 as CESU-8\n",
    "truncated-2": b"caf\xc3",
    "truncated-3": b"price 10\xe2\x82",
    "truncated-4": b"face \xf0\x9f\x98",
    "truncated-mid": b"caf\xc3 au lait\n",
    "lone-continuation": b"stray \x80 byte\n",
    "lone-continuation-bf": b"stray \xbf byte\n",
    "byte-ff": b"\xff\xff text\n",
    "byte-fe": b"text \xfe\n",
    "byte-f5": b"text \xf5\x80\x80\x80\n",
    "above-10ffff": b"text \xf4\x90\x80\x80\n",
    "latin1": "caf\u00e9 cr\u00e8me\n".encode("latin-1"),
    "cp1252-quotes": b"\x93quoted\x94 text\n",
    "utf8-bom-then-latin1": b"\xef\xbb\xbfna\xefve\n",
    "five-byte": b"old \xf8\x88\x80\x80\x80 form\n",
}
for name, content in INVALID_UTF8.items():
    path = file(f"utf8-{name}.txt", content)
    case(f"import-utf8-{name}", ["import", path], "is not valid UTF-8", DATA, f"invalid UTF-8: {name}")

# 3. Import: UTF-16 and UTF-32 with a byte-order mark.
for name, content, encoding in [
    ("utf16le-bom", b"\xff\xfe" + "Troops withdrew\n".encode("utf-16-le"), "UTF-16"),
    ("utf16be-bom", b"\xfe\xff" + "Troops withdrew\n".encode("utf-16-be"), "UTF-16"),
    ("utf16be-bom-cjk", b"\xfe\xff" + "\u4e2d\u6587".encode("utf-16-be"), "UTF-16"),
    ("utf32le-bom", b"\xff\xfe\x00\x00" + "Troops\n".encode("utf-32-le"), "UTF-32"),
    ("utf32be-bom", b"\x00\x00\xfe\xff" + "Troops\n".encode("utf-32-be"), "UTF-32"),
]:
    path = file(f"{name}.txt", content)
    case(f"import-{name}", ["import", path], f"is {encoding} text", DATA, f"{encoding} with a byte-order mark")

# 4. Import: nothing to import.
for name, content in [
    ("empty", b""),
]:
    path = file(f"{name}.txt", content)
    case(f"import-{name}", ["import", path], "is empty", DATA, "an empty file")
for name, content in [
    ("spaces", b"     "), ("newlines", b"\n\n\n"), ("crlf", b"\r\n\r\n"), ("tabs", b"\t\t \t"),
    ("utf8-bom-only", b"\xef\xbb\xbf"), ("utf8-bom-spaces", b"\xef\xbb\xbf  \n"),
    ("nbsp", "\u00a0\u00a0\n".encode()), ("unicode-spaces", "\u2003\u3000\u2009\n".encode()),
]:
    path = file(f"blank-{name}.txt", content)
    case(f"import-blank-{name}", ["import", path], "has no text", DATA, f"whitespace only: {name}")

# 5. Import: what is not a file, too large, or not there.
case("import-huge", ["import", "{huge}"], "is too large", DATA, "1 byte over the 2 MiB limit (made at test time)")
case("import-dev-zero", ["import", "/dev/zero"], "is not a regular file", DATA, "an endless device")
case("import-dev-null", ["import", "/dev/null"], "is not a regular file", DATA, "a device")
case("import-fifo", ["import", "{fifo}"], "is not a regular file", DATA, "a pipe nobody writes (would block)")
case("import-folder", ["import", "{files}"], "is a folder", DATA, "a folder")
case("import-missing", ["import", "{tmp}/nowhere.txt"], "no such file", NOINPUT, "a missing file")
case("import-dangling-link", ["import", "{tmp}/dangling-link"], "no such file", NOINPUT, "a link to nothing")
case("import-good-then-binary", ["import", "{files}/base-graphemes.txt", "{files}/binary-png.bin"], "nothing was imported", DATA,
     "all or nothing: a good file beside a bad one")
case("import-good-then-missing", ["import", "{files}/base-graphemes.txt", "{tmp}/nowhere.txt"], "nothing was imported", NOINPUT,
     "all or nothing: a good file beside a missing one")
case("import-stdin-binary", ["import", "-"], "looks binary", DATA, "binary on standard input", stdin="binary-pdf.bin")
case("import-stdin-latin1", ["import", "-"], "is not valid UTF-8", DATA, "Latin-1 on standard input", stdin="utf8-latin1.txt")
case("import-stdin-empty", ["import", "-"], "is empty", DATA, "nothing on standard input", stdin="empty.txt")
case("import-no-files", ["import"], "Missing expected argument '<files> ...'", USAGE, "no file given")
case("import-revise-binary", ["import", "--revise", "{doc}", "{files}/binary-elf.bin"], "looks binary", DATA, "a binary revision")
case("import-revise-two-files", ["import", "--revise", "{doc}", "{files}/base-graphemes.txt", "{files}/base-graphemes.txt"],
     "--revise takes exactly one file", USAGE, "two files for one revision")
case("import-revise-unknown-doc", ["import", "--revise", "d-nope", "{files}/base-graphemes.txt"], "no document", NOINPUT,
     "revising a document that does not exist")
case("import-title-two-files", ["import", "--title", "T", "{files}/base-graphemes.txt", "{files}/empty.txt"],
     "--title and --url describe one document", USAGE, "one title for two files")

# 6. Import: source options.
for value in ["G", "", "AB", "1", "A+", "\u0410"]:  # the last is a Cyrillic A
    case(f"import-grade-{value.encode().hex() or 'empty'}", ["import", "--grade", value, "{files}/base-graphemes.txt"],
         "--grade must be one of A, B, C, D, E, F", DATA, f"grade {value!r}")
for value in ["2024-13-01", "2024-02-30", "2023-02-29", "2024-04-31", "2024-00-10", "+123-01-01", "２０２４", "201\u0301" "6", "2016-0\u03013", "2016-03-1\u03015", "yesterday", "24-01-01", "2024/01/01", ""]:
    case(f"import-published-{value.encode().hex() if not value.isascii() else value or 'empty'}".replace("/", "_"),
         ["import", f"--published={value}" if value else "--published", *([] if value else [""]), "{files}/base-graphemes.txt"], "--published must be a date like 2016-03-15", DATA, f"published {value!r}")
case("import-accessed-bad", ["import", "--accessed", "31.12.2024", "{files}/base-graphemes.txt"], "--accessed must be a date like", DATA,
     "accessed in another format")
case("import-title-blank", ["import", "--title", "   ", "{files}/base-graphemes.txt"], "--title must not be empty", DATA, "blank title")

# 7. Annotate: offsets.
AT_BAD_SYNTAX = ["abc", "1:2:3", "", ":", "5:", ":5", "0x10:0x20", "1.5:3", " 1:3", "9223372036854775807:9223372036854775808",
                 "\uff11:\uff13", "\u0663:\u0665", "1-3", "1,3"]
for i, value in enumerate(AT_BAD_SYNTAX):
    case(f"annotate-at-syntax-{i:02d}", ["annotate", "{gdoc}", "--at", value], "--at must be START:END", DATA, f"--at {value!r}")
for value in [f"5:3", "3:3", "-1:5", "0:-1", f"0:{LENGTH + 1}", f"{LENGTH}:{LENGTH + 5}", "-9223372036854775808:0",
              f"0:9223372036854775807"]:
    case(f"annotate-at-range-{value}", ["annotate", "{gdoc}", f"--at={value}"], "offsets must satisfy 0 ≤ START < END", DATA,
         f"--at {value} is outside the text or empty")
for name, value in [
    ("start-inside-q-tilde", f"{Q + 1}:{Q + 10}"), ("end-inside-q-tilde", f"{Q - 4}:{Q + 1}"),
    ("start-inside-flag", f"{FLAG + 1}:{FLAG + 6}"), ("end-inside-flag", f"{FLAG - 3}:{FLAG + 1}"),
    ("start-inside-family", f"{FAMILY + 2}:{FAMILY + 8}"), ("end-inside-family", f"{FAMILY - 2}:{FAMILY + 3}"),
    ("inside-family-both", f"{FAMILY + 1}:{FAMILY + 4}"),
]:
    case(f"annotate-at-{name}", ["annotate", "{gdoc}", "--at", value], "cuts a character in two", DATA,
         f"--at {value}: offsets are scalar offsets; one inside a character is refused")
case("annotate-at-negative-spaced", ["annotate", "{gdoc}", "--at", "-1:5"], "Missing value for '--at <start:end>'", USAGE,
     "a value starting with '-' is read as an option (write --at=-1:5)")
case("annotate-at-and-quote", ["annotate", "{gdoc}", "--at", "0:5", "--quote", "Intake"], "give exactly one of --quote", DATA, "both selectors")
case("annotate-no-selector", ["annotate", "{gdoc}"], "give exactly one of --quote", DATA, "no selector")
case("annotate-at-with-occurrence", ["annotate", "{gdoc}", "--at", "0:5", "--occurrence", "2"], "does not apply to --at", DATA,
     "--occurrence only picks among quotes")

# 8. Annotate: quotes and occurrences.
case("annotate-quote-empty", ["annotate", "{gdoc}", "--quote", ""], "--quote must not be empty", DATA, "empty quote")
case("annotate-quote-blank", ["annotate", "{gdoc}", "--quote", "  \t "], "--quote must not be empty", DATA, "blank quote")
case("annotate-quote-absent", ["annotate", "{gdoc}", "--quote", "Palmyra airbase"], "does not occur", NOINPUT, "quote not in the text")
case("annotate-quote-ambiguous", ["annotate", "{gdoc}", "--quote", "troops"], "choose one with --occurrence", DATA, "quote occurs twice")
for value in ["0", "-1", "3", "99999", "-9223372036854775808"]:
    case(f"annotate-occurrence-{value}", ["annotate", "{gdoc}", "--quote", "troops", f"--occurrence={value}"],
         "the quote occurs 2 times", DATA, f"--occurrence {value} of 2")
for value in ["x", "1.5", "", "99999999999999999999"]:
    case(f"annotate-occurrence-syntax-{value or 'empty'}", ["annotate", "{gdoc}", "--quote", "troops", "--occurrence", value],
         "--occurrence", USAGE, f"--occurrence {value!r} is not a number")

# 9. Annotate: credibility, motivation, tags, document.
for value in ["0", "7", "-1", "100"]:
    case(f"annotate-credibility-{value}", ["annotate", "{gdoc}", "--quote", "Intake", f"--credibility={value}"],
         "credibility must be 1 to 6", DATA, f"credibility {value}")
for value in ["high", "", "2.5", "99999999999999999999"]:
    case(f"annotate-credibility-syntax-{value or 'empty'}", ["annotate", "{gdoc}", "--quote", "Intake", "--credibility", value],
         "--credibility", USAGE, f"credibility {value!r} is not a number")
for value in ["shouting", "", "Highlighting", "highlighting "]:
    case(f"annotate-motivation-{value.strip() or 'empty'}{'-space' if value.endswith(' ') else ''}",
         ["annotate", "{gdoc}", "--quote", "Intake", "--motivation", value], "--motivation", USAGE, f"motivation {value!r}")
for name, value in [("two-words", "two words"), ("empty", ""), ("tab", "a\tb"), ("newline", "a\nb"), ("bell", "a\u0007b"),
                    ("escape", "\u001b[31mred"), ("long", "t" * 101)]:
    stderr = "a tag may be at most 100 characters" if name == "long" else "a tag must be one word"
    case(f"annotate-tag-{name}", ["annotate", "{gdoc}", "--quote", "Intake", "--tag", value], stderr, DATA, f"tag {name}")
for name, value, stderr, status in [
    ("unknown", "d-0000000000000000", "no document", NOINPUT), ("empty", "", "an empty document ID", DATA),
    ("path", "../../etc/passwd", "no document", NOINPUT), ("long", "d" * 5000, "no document", NOINPUT),
    ("sql", "d' OR '1'='1", "no document", NOINPUT), ("note-id", "{note}", "is a note, not a document", NOINPUT),
    ("annotation-id", "{ann}", "is an annotation, not a document", NOINPUT), ("revision-id", "{rev}", "is a revision, not a document", NOINPUT),
]:
    case(f"annotate-doc-{name}", ["annotate", value, "--quote", "Intake"], stderr, status, f"document {name}")

# 10. Edit, tag, rm.
case("edit-nothing", ["edit", "{ann}"], "nothing to change", DATA, "no change given")
for value in ["7", "-1"]:
    case(f"edit-credibility-{value}", ["edit", "{ann}", f"--credibility={value}"], "credibility must be 1 to 6", DATA, f"credibility {value}")
case("edit-motivation-bad", ["edit", "{ann}", "--motivation", "yelling"], "--motivation", USAGE, "unknown motivation")
case("edit-unknown", ["edit", "a-nope", "--comment", "x"], "no annotation", NOINPUT, "unknown annotation")
case("edit-a-note", ["edit", "{note}", "--comment", "x"], "is a note, not an annotation", NOINPUT, "a note given as annotation")
case("tag-no-change", ["tag", "{ann}"], "give tags to add", DATA, "no tags")
case("tag-bare-word", ["tag", "{ann}", "troops"], "write +tag to add a tag", DATA, "neither + nor -")
case("tag-plus-only", ["tag", "{ann}", "+"], "a tag must be one word", DATA, "empty tag")
case("tag-long", ["tag", "{ann}", "+" + "x" * 101], "a tag may be at most 100 characters", DATA, "over-long tag")
case("tag-control", ["tag", "{note}", "+a\u0001b"], "a tag must be one word", DATA, "control character in a tag")
case("tag-document", ["tag", "{doc}", "+x"], "only those have tags", DATA, "documents have no tags")
case("tag-unknown", ["tag", "n-nope", "+x"], "no record", NOINPUT, "unknown record")
case("rm-unknown", ["rm", "zz-nope"], "no record", NOINPUT, "unknown record")
case("rm-empty", ["rm", ""], "an empty record ID", DATA, "empty ID")
case("rm-long", ["rm", "a" * 300], "no record", NOINPUT, "over-long ID")
case("rm-revision", ["rm", "{rev}"], "revisions are immutable", DATA, "a revision")

# 11. Notes.
case("note-cite-unknown", ["note", "add", "--title", "T", "--body", "b", "--cite", "a-nope"], "no annotation", NOINPUT, "cites nothing")
case("note-cite-document", ["note", "add", "--title", "T", "--body", "b", "--cite", "{doc}"], "is a document, not an annotation", NOINPUT,
     "cites a document")
case("note-body-and-file", ["note", "add", "--title", "T", "--body", "b", "--file", "{files}/base-graphemes.txt"],
     "give --body or --file, not both", DATA, "two bodies")
case("note-file-binary", ["note", "add", "--title", "T", "--file", "{files}/binary-png.bin"], "looks binary", DATA, "binary body file")
case("note-file-nul", ["note", "add", "--title", "T", "--file", "{files}/binary-nul-inside.bin"], "looks binary", DATA, "NUL in the body")
case("note-file-latin1", ["note", "add", "--title", "T", "--file", "{files}/utf8-latin1.txt"], "is not UTF-8 text", DATA, "Latin-1 body")
case("note-file-surrogate", ["note", "add", "--title", "T", "--file", "{files}/utf8-surrogate-high.txt"], "is not UTF-8 text", DATA,
     "surrogate in the body")
case("note-file-missing", ["note", "add", "--title", "T", "--file", "{tmp}/nowhere.md"], "no such file", NOINPUT, "missing body file")
case("note-file-dev-zero", ["note", "add", "--title", "T", "--file", "/dev/zero"], "is not a regular file", DATA, "endless body")
case("note-file-huge", ["note", "add", "--title", "T", "--file", "{huge}"], "is too large", DATA, "huge body")
case("note-tag-bad", ["note", "add", "--title", "T", "--body", "b", "--tag", "two words"], "a tag must be one word", DATA, "bad tag")
case("note-no-title", ["note", "add", "--body", "b"], "--title", USAGE, "no title")
case("note-edit-unknown", ["note", "edit", "n-nope", "--title", "x"], "no note", NOINPUT, "unknown note")
case("note-edit-uncite-unknown", ["note", "edit", "{note}", "--uncite", "a-nope"], "does not cite a-nope", NOINPUT, "uncites nothing")

# 12. Search and export.
for value in ["0", "-5"]:
    case(f"search-limit-{value}", ["search", "troops", f"--limit={value}"], "--limit must be at least 1", USAGE, f"limit {value}")
case("search-kind-bad", ["search", "troops", "--kind", "revision2"], "--kind", USAGE, "unknown kind")
case("export-format-bad", ["export", "--format", "pdf"], "--format", USAGE, "unknown format")
case("export-doc-unknown", ["export", "--format", "json", "--doc", "d-nope"], "no document", NOINPUT, "unknown document")

# 13. Stores, remotes, bundles, serve.
case("init-existing", ["init", "--store", "{store}"], "already", 73, "a store is already there")
case("store-is-png", ["docs", "--store", "{files}/binary-png.bin"], "not a Gloss store", DATA, "--store names a PNG")
case("remote-bad-url", ["remote", "add", "hub", "ftp://example"], "is not an http:// or https:// URL", USAGE, "not an http URL")
case("remote-bad-name", ["remote", "add", "two words", "http://127.0.0.1:9"], "a remote name is 1-64 letters", USAGE, "a name with a space")
case("sync-batch-zero", ["sync", "http://127.0.0.1:9", "--batch-records", "0"], "--batch-records", USAGE, "batch of 0")
case("sync-unknown-remote", ["sync", "nowhere"], "nowhere", NOINPUT, "no such remote")
for name, content in [("text", b"not a bundle\n"), ("png", BINARY["png"]), ("gzip-text", gzip.compress(b"hello", mtime=0)),
                      ("gzip-truncated", gzip.compress(b'{"protocol":1}' * 50, mtime=0)[:30]),
                      ("gzip-json-wrong", gzip.compress(b'{"protocol":1,"states":"x"}', mtime=0))]:
    path = file(f"bundle-{name}.gloss-bundle", content)
    case(f"bundle-{name}", ["bundle", "apply", path], "Nothing was applied", DATA if name != "gzip-truncated" else DATA,
         f"bundle: {name}")
case("bundle-empty", ["bundle", "apply", "{files}/empty.txt"], "Nothing was applied", DATA, "empty bundle")
case("bundle-dev-zero", ["bundle", "apply", "/dev/zero"], "not a regular file", DATA, "endless bundle")
for option, value, stderr in [
    ("--max-connections", "0", "--max-connections must be a positive number"),
    ("--max-connections", "-5", "--max-connections must be a positive number"),
    ("--max-connections", "many", "--max-connections"),
    ("--idle-timeout", "0", "--idle-timeout must be a number of seconds above 0"),
    ("--idle-timeout", "-1", "--idle-timeout must be a number of seconds above 0"),
    ("--idle-timeout", "nan", "--idle-timeout must be a number of seconds above 0"),
    ("--idle-timeout", "inf", "--idle-timeout must be a number of seconds above 0"),
    ("--idle-timeout", "1e300", "--idle-timeout must be a number of seconds above 0"),
    ("--request-timeout", "0", "--request-timeout must be a number of seconds above 0"),
    ("--request-timeout", "-0.5", "--request-timeout must be a number of seconds above 0"),
    ("--request-timeout", "soon", "--request-timeout"),
    ("--max-body", "0", "--max-body must be at least 1024"),
    ("--max-body", "100", "--max-body must be at least 1024"),
    ("--max-body", "-1", "--max-body must be at least 1024"),
    ("--port", "70000", "--port must be 0...65535"),
]:
    case(f"serve{option}-{value}", ["serve", "--port", "0", f"{option}={value}"], stderr, USAGE, f"serve {option} {value}")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(FILES)
    for name, content in sorted(files.items()):
        with open(os.path.join(FILES, name), "wb") as f:
            f.write(content)
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases and {len(files)} files to {os.path.relpath(OUT, ROOT)}")


main()
