namespace Go1.CdcSync;

public enum OrderChangeKind
{
    /// <summary>The order was inserted, updated or read by a snapshot: the cache should hold this version.</summary>
    Upsert,

    /// <summary>The order was deleted: the cache should forget it.</summary>
    Delete,
}
