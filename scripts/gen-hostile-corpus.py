#!/usr/bin/env python3
"""Generates Fixtures/hostile/http/: malformed bodies for POST /v1/changes, each with the exact
refusal the server must give (HTTP status and error code), listed in manifest.json.

Deterministic (fixed seed): re-running it rewrites the same files. The server under test is
expected to run with a 64 KiB body limit (see HostileInputTests), so bodies above it get 413.

    python3 scripts/gen-hostile-corpus.py            # writes Fixtures/hostile/http/
"""
import gzip
import json
import os
import random
import shutil
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Fixtures", "hostile", "http")
LIMIT = 64 * 1024
R1 = "a" * 24 + "00000001"   # the pushing replica
R2 = "b" * 24 + "00000002"
rng = random.Random(7)
cases = []


def state(id="note-9", kind="note", counter=2, title="Troop numbers", tag="syria", replica=R1):
    return {
        "id": id, "kind": kind, "vv": {replica: counter},
        "f": {"title": [{"v": title, "r": replica, "n": 1, "t": 1700000000000}]},
        "s": {"tags": {tag: [{"counter": 2, "replica": replica}]}},
    }


def push(states, protocol=1, frm=R1, name="field laptop", **extra):
    body = {"protocol": protocol, "from": frm, "name": name, "states": states}
    body.update(extra)
    return body


def dump(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def add(category, body, status=400, error="invalid-input", encoding=None, why=""):
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif not isinstance(body, (bytes, bytearray)):
        body = dump(body)
    body = bytes(body)
    # Anything over the limit is refused for its size before it is read further.
    if encoding is None and len(body) > LIMIT:
        status, error = 413, "invalid-input"
    cases.append({"category": category, "body": body, "status": status, "error": error,
                  "encoding": encoding, "why": why})


VALID = dump(push([state(), state(id="note-10", title="1,140 withdrawn")]))

# 1. Truncated JSON: a valid body cut at many points.
for i in range(100):
    cut = 1 + (i * (len(VALID) - 2)) // 99
    add("truncated", VALID[:cut], why=f"valid body cut at byte {cut} of {len(VALID)}")

# 2. Wrong types at every level.
OTHER = {"object": {}, "array": [], "string": "text", "int": 12, "bool": True, "null": None, "float": 1.5}


def set_path(obj, path, value):
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


PATHS = {  # path -> replacements that are NOT valid there
    ("protocol",): ["object", "array", "string", "bool", "null", "float"],
    ("from",): ["object", "array", "string", "int", "bool", "null"],
    ("name",): ["object", "array", "int", "bool", "null"],
    ("states",): ["object", "string", "int", "bool", "null"],
    ("states", 0): ["array", "string", "int", "bool", "null"],
    ("states", 0, "id"): ["object", "array", "int", "bool", "null"],
    ("states", 0, "kind"): ["object", "array", "string", "int", "bool", "null"],
    ("states", 0, "vv"): ["array", "string", "int", "bool", "null"],
    ("states", 0, "vv", R1): ["object", "array", "string", "bool", "null", "float"],
    ("states", 0, "f"): ["array", "string", "int", "bool"],
    ("states", 0, "f", "title"): ["object", "string", "int", "bool", "null"],
    ("states", 0, "f", "title", 0): ["array", "string", "int", "bool", "null"],
    ("states", 0, "f", "title", 0, "v"): ["object", "array", "float"],
    ("states", 0, "f", "title", 0, "r"): ["object", "array", "string", "int", "bool", "null"],
    ("states", 0, "f", "title", 0, "n"): ["object", "array", "string", "bool", "null", "float"],
    ("states", 0, "f", "title", 0, "t"): ["object", "array", "string", "bool", "null", "float"],
    ("states", 0, "s"): ["array", "string", "int", "bool"],
    ("states", 0, "s", "tags"): ["array", "string", "int", "bool", "null"],
    ("states", 0, "s", "tags", "syria"): ["object", "string", "int", "bool", "null"],
    ("states", 0, "s", "tags", "syria", 0, "counter"): ["object", "array", "string", "bool", "null", "float"],
    ("states", 0, "s", "tags", "syria", 0, "replica"): ["object", "array", "string", "int", "bool", "null"],
    ("since",): ["object", "array", "string", "bool", "float"],
    ("pulled",): ["object", "array", "string", "bool", "float"],
}
for path, kinds in PATHS.items():
    for kind in kinds:
        body = push([state()], since=0, next=1, pulled=0)
        set_path(body, path, OTHER[kind])
        add("wrong-type", body, why=f"{'.'.join(map(str, path))} is a {kind}")

# 3. Deep nesting, in several places, up to what fits under the limit.
for depth in [64, 300, 513, 1000, 2000, 4000, 10000]:
    add("deep-nesting", "[" * depth + "]" * depth, why=f"top-level arrays nested {depth} deep")
    add("deep-nesting", b'{"protocol":1,"from":"' + R1.encode() + b'","name":"x","states":' + b"[" * depth + b"]" * depth + b"}",
        why=f"states nested {depth} deep")
    add("deep-nesting", b'{"protocol":1,"from":"' + R1.encode() + b'","name":' + b'{"a":' * depth + b"1" + b"}" * depth + b',"states":[]}',
        why=f"name is objects nested {depth} deep")
    v = b"[" * depth + b"]" * depth
    body = dump(push([state()])).replace(b'"v":"Troop numbers"', b'"v":' + v)
    add("deep-nesting", body, why=f"a field value nested {depth} deep")
    add("deep-nesting", "[" * depth, why=f"unclosed arrays {depth} deep")
    add("deep-nesting", b'{"protocol":1,"states":' + b'[{"a":' * depth, why=f"unclosed arrays and objects {depth} deep")

# Foundation's parser used to trap (killing the server) when its 512-level limit fell exactly at
# the end of the input: every depth around it, unclosed, in arrays and objects.
for depth in range(509, 517):
    add("deep-nesting", "[" * depth, why=f"exactly {depth} unclosed arrays (the parser-limit boundary)")
    add("deep-nesting", '{"a":' * depth, why=f"exactly {depth} unclosed objects (the parser-limit boundary)")
    add("deep-nesting", '{"protocol":1,"states":' + "[" * (depth - 1), why=f"a push whose states end {depth} levels deep")

# 4. Huge strings where the value must be short (and over the limit anywhere).
for size in [129, 1000, 10000, 60000]:
    add("huge-string", push([state(id="n" * size)]), why=f"record ID of {size} characters")
    add("huge-string", push([state(kind="k" * size)]), why=f"record kind of {size} characters")
    add("huge-string", push([state()], frm="a" * size), why=f"replica ID of {size} characters")
    body = push([state()])
    body["states"][0]["vv"]["c" * size] = 1
    add("huge-string", body, why=f"version vector key of {size} characters")
    body = push([state()])
    body["states"][0]["f"]["title"][0]["r"] = "d" * size
    add("huge-string", body, why=f"dot replica of {size} characters")
    add("huge-string", b'{"protocol":1' + b"0" * size + b',"states":[]}', why=f"protocol number of {size} digits")
for size in [70000, 100000]:
    add("huge-string", push([state(title="x" * size)]), status=413, why=f"a title of {size} characters: over the limit")
    add("huge-string", push([state()], name="n" * size), status=413, why=f"a name of {size} characters: over the limit")
    add("huge-string", b" " * size, status=413, why=f"{size} spaces")

# 5. Invalid UTF-8 inside strings.
BAD_UTF8 = [b"\xff", b"\xfe", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xe2\x82\x28", b"\xf0\x28\x8c\xbc",
            b"\xf0\x90\x28\xbc", b"\xf8\xa1\xa1\xa1\xa1", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xc3"]
for i, bad in enumerate(BAD_UTF8):
    base = dump(push([state()]))
    add("invalid-utf8", base.replace(b"field laptop", b"field " + bad + b"laptop"), why=f"name holds bytes {bad.hex()}")
    add("invalid-utf8", base.replace(b"Troop numbers", b"Troop " + bad + b"numbers"), why=f"a title holds bytes {bad.hex()}")
    add("invalid-utf8", base.replace(b'"syria"', b'"syr' + bad + b'ia"'), why=f"a tag holds bytes {bad.hex()}")
    add("invalid-utf8", base.replace(b'"title"', b'"ti' + bad + b'tle"'), why=f"a field name holds bytes {bad.hex()}")
    add("invalid-utf8", base.replace(b'"note-9"', b'"note-' + bad + b'9"'), why=f"a record ID holds bytes {bad.hex()}")
for escape in ["\\ud800", "\\udfff", "\\ud800\\u0041", "\\udc00\\ud800"]:
    for target in [b"field laptop", b"Troop numbers"]:
        add("invalid-utf8", dump(push([state()])).replace(target, target + escape.encode()),
            why=f"unpaired surrogate escape {escape}")

# 6. Counters: negative, zero, fractional, beyond 2^53-1 and beyond 64 bits, in every counter.
COUNTERS = ["-1", "0", "-0", "1.5", "9007199254740992", "18446744073709551615", "18446744073709551616",
            "1e400", "-9223372036854775809", "99999999999999999999999999"]
for value in COUNTERS:
    base = dump(push([state()]))
    add("counter", base.replace(b'"vv":{"' + R1.encode() + b'":2}', b'"vv":{"' + R1.encode() + b'":' + value.encode() + b"}"),
        why=f"version vector counter {value}")
    add("counter", base.replace(b'"n":1', b'"n":' + value.encode()), why=f"field dot counter {value}")
    add("counter", base.replace(b'"counter":2', b'"counter":' + value.encode()), why=f"set dot counter {value}")
for value in ["9223372036854775808", "-9223372036854775809", "1.5", "1e400"]:
    add("counter", dump(push([state()])).replace(b'"t":1700000000000', b'"t":' + value.encode()), why=f"time {value}")
for key in ["since", "next", "pulled"]:
    for value in ["-1", "-9223372036854775808", "9223372036854775808"]:
        body = dump(push([state()], since=0, next=1, pulled=0)).replace(f'"{key}":{ {"since": 0, "next": 1, "pulled": 0}[key] }'.replace(" ", "").encode(),
                                                                        f'"{key}":{value}'.encode())
        add("counter", body, why=f"feed position {key} = {value}")
add("counter", push([state()], since=10, next=5), why="next before since")
# A dot beyond the vector: not a state any replica can have produced.
add("counter", dump(push([state()])).replace(b'"n":1', b'"n":3'), why="field dot not covered by the vector")
add("counter", dump(push([state()])).replace(b'"counter":2', b'"counter":3'), why="set dot not covered by the vector")
body = push([state()])
body["states"][0]["f"]["title"][0]["r"] = R2
add("counter", body, why="field dot of a replica absent from the vector")

# 7. Unknown kinds and protocol versions.
for kind in ["spreadsheet", "", "Note", "NOTE", "note ", " note", "notes", "document\u0000", "revision2", "annotation!",
             "\u00e9", "null", "0", "record", "tombstone", "doc", "NOTE\n", "note\t", "n", "document/revision"]:
    add("unknown-kind", push([state(kind=kind)]), why=f"record kind {kind!r}")
for version in [0, 2, 3, 10, 99, -1, 2147483647, -2147483648, 9223372036854775807]:
    add("unknown-version", push([state()], protocol=version), error="version-mismatch", why=f"protocol {version}")
    add("unknown-version", push([], protocol=version), error="version-mismatch", why=f"protocol {version}, no states")
for version in ["9223372036854775808", "1e3000", "-9223372036854775809"]:
    add("unknown-version", b'{"protocol":' + version.encode() + b',"from":"' + R1.encode() + b'","name":"x","states":[]}',
        why=f"protocol {version} does not fit an integer")

# 8. One record ID twice in a batch, with different content.
for i in range(40):
    a = state(title=f"version A {i}")
    variant = i % 4
    if variant == 0:
        b = state(title=f"version B {i}")                      # same dot, another value
    elif variant == 1:
        b = state(title=f"version B {i}", counter=3)           # another vector
        b["f"]["title"][0]["n"] = 3
    elif variant == 2:
        b = state(kind="annotation", title=f"version B {i}")   # another kind
    else:
        b = state(tag=f"tag-{i}")                              # another set
    states = [a, state(id=f"filler-{i}")] if i % 2 else [a]
    states.append(b)
    rng.shuffle(states)
    add("duplicate-id", push(states), why=f"note-9 twice with different content (variant {variant})")

# 9. Malformed IDs.
for rid in ["", "a b", "a/b", "a\\b", "caf\u00e9", "x" * 129, "note\u0000", "tab\there", "semi;colon", "q\"uote",
            "new\nline", "%2e%2e", "../etc", "emoji\U0001F600", "comma,id"]:
    add("bad-id", push([state(id=rid)]), why=f"record ID {rid[:20]!r}")
for rep in ["A" * 24 + "00000001", "a" * 31, "a" * 33, "g" * 32, "", "0x" + "a" * 30, " " + "a" * 31, "a" * 31 + "\n",
            "-" * 32, "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"]:
    add("bad-id", push([state()], frm=rep), why=f"from {rep[:36]!r}")
    body = push([state()])
    body["states"][0]["vv"][rep] = 1
    add("bad-id", body, why=f"vector key {rep[:36]!r}")

# 10. Structure: not a push body at all.
for text in ["", " ", "\n", "null", "true", "1", "\"push\"", "[]", "{}", "[{}]", "{\"protocol\":1}",
             "{\"protocol\":1,\"from\":\"" + R1 + "\"}", "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\"}",
             "{\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[]}", "{'protocol':1}", "{\"protocol\":NaN}",
             "{\"protocol\":Infinity}", "{\"protocol\":1,}", "{\"protocol\":1 /* c */}", "{\"protocol\":01}",
             "{\"protocol\":+1}", "{\"protocol\":.1}", "{\"protocol\":0x1}", "\ufeff", "{\"protocol\":1}{\"protocol\":1}",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[]} trailing",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[,]}",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[{}]}",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[null]}",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[1,2,3]}",
             "\u0000", "{\"protocol\":1\u0000}", "{\"protocol\":\"1\"}", "<html></html>", "protocol=1&from=x",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[]",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[]}}",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":\"[]\"}",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[" + json.dumps(state())[:-1] + ",]}]}",
             "{\"protocol\":1,\"from\":\"" + R1 + "\",\"name\":\"x\",\"states\":[" + json.dumps(state()).replace("\"vv\"", "\"xx\"") + "]}"]:
    add("structure", text, why=f"body {text[:40]!r}")
# Missing keys inside a state.
for key in ["id", "kind", "vv"]:
    s = state()
    del s[key]
    add("structure", push([s]), why=f"a state without {key}")
for key in ["v", "r", "n", "t"]:
    s = state()
    del s["f"]["title"][0][key]
    add("structure", push([s]), why=f"a field value without {key}")

# 11. Compression: bad gzip, unsupported encodings, bombs.
gz = gzip.compress(VALID, mtime=0)
for cut in [1, 2, 5, 10, len(gz) // 2, len(gz) - 8, len(gz) - 1]:
    add("gzip", gz[:cut], encoding="gzip", why=f"gzip cut at {cut} of {len(gz)}")
for i in range(5):
    damaged = bytearray(gz)
    damaged[10 + i * 7] ^= 0xFF
    add("gzip", bytes(damaged), encoding="gzip", why=f"gzip with byte {10 + i * 7} flipped")
add("gzip", VALID, encoding="gzip", why="plain JSON labelled gzip")
for encoding in ["br", "deflate", "compress", "zstd", "gzip, br", "x-gzip2"]:
    add("gzip", VALID, encoding=encoding, why=f"unsupported Content-Encoding {encoding}")
for size in [LIMIT + 1, 10 * 1024 * 1024, 100 * 1024 * 1024]:
    add("gzip", gzip.compress(b" " * size, compresslevel=9, mtime=0), status=413, encoding="gzip",
        why=f"gzip bomb inflating to {size} bytes")
add("gzip", gzip.compress(b'{"protocol":1,"states":[', mtime=0), encoding="gzip", why="gzip of truncated JSON")
add("gzip", gzip.compress(gz, mtime=0), encoding="gzip", why="gzip of gzip")

# 12. Over the limit, plain.
for size in [LIMIT + 1, LIMIT + 1000, 2 * LIMIT, 3 * LIMIT]:
    pad = b" " * (size - len(VALID))
    add("oversize", pad + VALID, status=413, why=f"a valid body padded to {size} bytes")

shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
manifest = []
for n, case in enumerate(cases, 1):
    name = f"{n:04d}-{case['category']}.body"
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(case["body"])
    entry = {"file": name, "status": case["status"], "error": case["error"], "why": case["why"]}
    if case["encoding"]:
        entry["encoding"] = case["encoding"]
    manifest.append(entry)
with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, ensure_ascii=True)
    f.write("\n")
by = {}
for case in cases:
    by[case["category"]] = by.get(case["category"], 0) + 1
print(f"{len(cases)} cases in {OUT}: " + ", ".join(f"{k} {v}" for k, v in by.items()), file=sys.stderr)
