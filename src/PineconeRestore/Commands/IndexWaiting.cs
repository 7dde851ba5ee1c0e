using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>Waiting for an index to be ready (status.ready) or to have failed: the restore drill's second wait.</summary>
    internal sealed class IndexWaiting : WaitSubject<PineconeIndex>
    {
        public IndexWaiting(IndexesApi api)
        {
            Target = WaitTargets.Indexes(api);
        }

        public override WaitTarget<PineconeIndex> Target { get; }

        public override string Describe(PineconeIndex index) => $"{index.State}, index {index.Name} " + (index.Ready ? "ready" : "not ready yet");

        public override string StatusOf(PineconeIndex index) => index.State;

        public override void WriteFinished(PineconeCmdletBase cmdlet, PineconeIndex index) => cmdlet.WriteObject(index);

        public override string TimeoutAction(string id) =>
            $"The index {id} may still be initializing: look at it again later (GET /indexes/{id}), with a longer -Timeout next time.";
    }
}
