using System.ComponentModel.DataAnnotations;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>The <c>Orders:Writes</c> configuration section: how concurrent creates share commits.</summary>
public sealed class OrderWriteOptions
{
    public const string SectionName = "Orders:Writes";

    /// <summary>
    /// Batches in flight at once: each writer is a thread with its own connection. One keeps batches largest, and
    /// so each create cheapest in both the API and PostgreSQL (bench/README.md). A database with more cores may want more.
    /// </summary>
    [Range(1, 64)]
    public int Writers { get; set; } = 1;

    /// <summary>The most creates one batch (one round trip, one commit) takes.</summary>
    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 32;
}
