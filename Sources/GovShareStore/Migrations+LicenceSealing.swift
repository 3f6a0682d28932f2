extension Migrator {
    /// Issue 15 (Art. 27–28), encryption at rest for e-licences: a licence holds its holder's identifier and name, the
    /// licence fields (the same graded values as the population data) and the signed document. `sealed` holds all of
    /// them SM4-GCM sealed under the licences' own key set (in `dataset_keys` under the reserved owner `licences`);
    /// `holder_id` then holds the holder's blind index, so lookups by holder stay exact matches on an index.
    static let licenceSealing = Migration(version: 38, name: "licence_sealing") { _ in
        ["ALTER TABLE licences ADD COLUMN sealed TEXT"]
    }
}
