namespace Go1.CdcSync;

public enum OrderChangeKind
{
    /// <summary>The order was inserted, updated or read by a snapshot: the cache should hold this version.</summary>
    Upsert,

    /// <summary>The order was deleted: the cache should forget it.</summary>
    Delete,

    /// <summary>
    /// The row after the change is no order this code can read (a value the read model does not know, say): the cache
    /// must serve neither it nor an older version, so it forgets the order as for a delete and reads go to PostgreSQL.
    /// </summary>
    Unreadable,
}
