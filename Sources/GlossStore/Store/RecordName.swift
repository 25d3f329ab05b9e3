import GlossCore

/// GRDB also exports a `Record` class; inside this module `Record` means Gloss's record.
typealias Record = GlossCore.Record
