using System.Globalization;
using System.Management.Automation;
using System.Text;
using PineconeRestore.Emulator;
using PineconeRestore.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PineconeRestore.Tests;

/// <summary>
/// Issue 15's fuzzed responses: thousands of seeded mutations of real answers (truncated, wrong JSON types, nulls,
/// huge numbers, deep nesting, invalid UTF-8, odd content types and charsets, bodies past the cap, error bodies of
/// every shape) served through the emulator's CustomBody rule, to a listing and to a describe pipeline. Each one ends
/// as valid objects or as an InvalidResponse or API ErrorRecord: never another exception, a hang or a crash.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class FuzzTests(ITestOutputHelper output) : EmulatorTestBase
{
    private const int Mutations = 1500; // per test; a few seconds each
    private const string Fqid = ",PineconeRestore.Commands.GetPineconeRestoreJobCommand";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(180);

    protected override int? ConnectWithMaxRetries => 0; // one answer per mutation

    [Fact]
    public void Mutated_list_pages_give_objects_or_an_InvalidResponse_or_API_error()
    {
        List<Mutation> mutations = Mutator.Make(seed: 1501, Mutations, list: true);
        var feeder = new Feeder(Emulator.State, mutations);

        // One script for every mutation: each run's objects and errors come back through the feeder.
        PsResult result = Ps.RunWithin(Bound, """
            for ($i = 0; $i -lt $feeder.Count; $i++) {
                $feeder.Arm($i)
                try { $feeder.Record($i, @(Get-PineconeRestoreJob -PageSize 3 2>&1), $null) }
                catch { $feeder.Record($i, @(), $_) }
            }
            """, ("feeder", feeder));

        Assert.Null(result.Terminating);
        Report("List pages", mutations, feeder);
        Assert.Equal(mutations.Count, feeder.Outcomes.Count);
        Assert.Empty(feeder.Failures);
    }

    [Fact]
    public void Mutated_describe_answers_give_each_id_an_object_or_one_InvalidResponse_or_API_error()
    {
        List<Mutation> mutations = Mutator.Make(seed: 1502, Mutations, list: false);
        var ids = new string[mutations.Count];
        for (int i = 0; i < mutations.Count; i++)
        {
            ids[i] = $"fz{i:D5}";
            Mutation m = mutations[i];
            Emulator.State.AddFault(new FaultRule { Kind = FaultKind.CustomBody, PathPrefix = "/restore-jobs/" + ids[i], StatusCode = m.Status, ContentType = m.ContentType, BodyBytes = m.Body, Remaining = -1 });
        }

        // One pipeline: every id answered in its place, none ending the command.
        PsResult result = Ps.RunWithin(Bound, "$ids | Get-PineconeRestoreJob -ThrottleLimit 8 2>&1", ("ids", ids));

        // One answer per id, in input order: an error names its id; an object is the answer in its place (its
        // restore_job_id is whatever the mutated body said).
        Assert.Null(result.Terminating);
        Assert.Equal(ids.Length, result.Output.Count);
        Assert.All(ids.Zip(result.Output), p => Assert.True(p.Second.BaseObject is not ErrorRecord e || (string)e.TargetObject == p.First, p.First));
        var feeder = new Feeder(Emulator.State, mutations);
        for (int i = 0; i < mutations.Count; i++)
        {
            feeder.Record(i, [result.Output[i]], null);
        }

        Report("Describe answers", mutations, feeder);
        Assert.Empty(feeder.Failures);
    }

    private void Report(string title, List<Mutation> mutations, Feeder feeder)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{title}: {mutations.Count:N0} mutated responses; outcome counts per mutation");
        string[] outcomes = feeder.Outcomes.Values.Distinct().Order(StringComparer.Ordinal).ToArray();
        text.AppendLine($"  {"mutation",-16}" + string.Concat(outcomes.Select(o => $" {o,18}")));
        foreach (IGrouping<string, int> kind in Enumerable.Range(0, mutations.Count).GroupBy(i => mutations[i].Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"  {kind.Key,-16}" + string.Concat(outcomes.Select(o => string.Format(CultureInfo.InvariantCulture, " {0,18:N0}", kind.Count(i => feeder.Outcomes.GetValueOrDefault(i) == o)))));
        }

        text.AppendLine($"  {"total",-16}" + string.Concat(outcomes.Select(o => string.Format(CultureInfo.InvariantCulture, " {0,18:N0}", feeder.Outcomes.Values.Count(v => v == o)))));
        text.AppendLine(CultureInfo.InvariantCulture, $"  anything else (unhandled exception, wrong error, hang): {feeder.Failures.Count}");
        foreach (string failure in feeder.Failures.Take(20))
        {
            text.AppendLine("    " + failure);
        }

        output.WriteLine(text.ToString());
    }

    /// <summary>One mutated answer: the status, Content-Type and bytes to serve, and what was done to them.</summary>
    public sealed record Mutation(string Kind, int Status, string? ContentType, byte[] Body)
    {
        public bool Success => Status is >= 200 and < 300;
    }

    /// <summary>Arms the emulator with mutation i and classifies what the command made of it. Public: the script calls it.</summary>
    public sealed class Feeder(EmulatorState state, List<Mutation> mutations)
    {
        public int Count => mutations.Count;

        public Dictionary<int, string> Outcomes { get; } = new();

        public List<string> Failures { get; } = new();

        public void Arm(int i)
        {
            state.ClearFaults();
            Mutation m = mutations[i];
            // Forever, so a followed next token meets the same answer (and the cursor's repeated-token guard).
            state.AddFault(new FaultRule { Kind = FaultKind.CustomBody, PathPrefix = "/restore-jobs", StatusCode = m.Status, ContentType = m.ContentType, BodyBytes = m.Body, Remaining = -1 });
        }

        public void Record(int i, object[] written, object? terminating)
        {
            Mutation m = mutations[i];
            var errors = new List<ErrorRecord>();
            int objects = 0;
            foreach (object item in written.Append(terminating).Where(x => x != null)!)
            {
                object value = item is PSObject wrapped ? wrapped.BaseObject : item;
                if (value is ErrorRecord error)
                {
                    errors.Add(error);
                }
                else if (item is PSObject o && o.TypeNames[0] == "PineconeRestore.RestoreJob" && o.Prop("RestoreJobId") is string)
                {
                    objects++;
                }
                else
                {
                    Failures.Add($"#{i} {m.Kind}: wrote a {value.GetType().FullName}");
                    return;
                }
            }

            string? problem = null;
            foreach (ErrorRecord error in errors)
            {
                string id = error.FullyQualifiedErrorId.Split(',')[0];
                string type = error.Exception.GetType().FullName!;
                bool fine = !error.FullyQualifiedErrorId.EndsWith(Fqid, StringComparison.Ordinal) ? false
                    : id == "InvalidResponse" ? type == "PineconeRestore.PineconeInvalidResponseException"
                    : id == "RepeatedPaginationToken" ? m.Success // a page whose next token pointed back to itself
                    : !m.Success && type == "PineconeRestore.PineconeApiException" && id == (string)error.Exception.Prop("ErrorCode")!;
                if (!fine)
                {
                    problem = $"#{i} {m.Kind} (HTTP {m.Status}): {error.FullyQualifiedErrorId} {type}: {error.Exception.Message}";
                }
            }

            if (errors.Count > 1 || (objects == 0 && errors.Count == 0 && !m.Success))
            {
                problem ??= $"#{i} {m.Kind} (HTTP {m.Status}): {objects} objects and {errors.Count} errors";
            }

            if (problem != null)
            {
                Failures.Add(problem);
                return;
            }

            Outcomes[i] = errors.Count == 0 ? "objects"
                : errors[0].FullyQualifiedErrorId.StartsWith("InvalidResponse,", StringComparison.Ordinal) ? "InvalidResponse"
                : errors[0].FullyQualifiedErrorId.StartsWith("RepeatedPaginationToken,", StringComparison.Ordinal) ? "RepeatedToken"
                : "API error";
        }
    }

    /// <summary>Seeded mutations of a real restore-job answer.</summary>
    private static class Mutator
    {
        private const string Job = """{"restore_job_id":"7a3f9c2e-5b1d-4e8a-9f6c-0d2b4e6a8c01","backup_id":"b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11","target_index_name":"products-restore","target_index_id":"idx-1","status":"Completed","created_at":"2025-06-01T12:00:00Z","completed_at":"2025-06-01T12:05:00.123Z","percent_complete":100}""";

        private static readonly string[] Fields = ["restore_job_id", "backup_id", "target_index_name", "target_index_id", "status", "created_at", "completed_at", "percent_complete"];

        private static readonly string[] WrongValues = ["123", "-1.5e308", "true", "false", "[]", "{}", "\"\"", "\"text\"", "[1,2]", "{\"a\":{\"b\":1}}", "null", "0"];

        private static readonly string[] HugeNumbers = ["1e309", "-1e309", "123456789012345678901234567890123456789", "1e-400", "-0", "9007199254740993", "1E400000", "0.00000000000000000000000000000000000000000001"];

        private static readonly string[] BadLiterals = ["NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10", "1e", "tru", "nul", "'x'"];

        private static readonly byte[][] BadUtf8 = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0x80]];

        private static readonly string?[] ContentTypes =
        [
            "text/html", "text/plain", "application/json; charset=nope", "application/json; charset=utf-16", "application/json; charset=iso-8859-1",
            "application/json; charset=\"UTF-8\"", "application/problem+json", "application/octet-stream", "application/json; charset=utf-8; q=1",
            "application/json;;;", "application/JSON; Charset=UTF8", "application/json; charset=us-ascii", "multipart/form-data; boundary=x", "*/*",
        ];

        private static readonly int[] ErrorStatuses = [400, 402, 403, 404, 405, 409, 412, 418, 422, 429, 500, 501, 502, 503, 504];

        private static readonly string[] Kinds =
        [
            "truncate", "flip-bytes", "wrong-type", "null-field", "drop-field", "huge-number", "bad-literal", "deep-nesting",
            "invalid-utf8", "content-type", "utf16-body", "odd-timestamp", "extra-and-dupes", "error-body", "empty-or-ws", "bom-escapes",
        ];

        public static List<Mutation> Make(int seed, int count, bool list)
        {
            var random = new Random(seed);
            var mutations = new List<Mutation>(count);
            for (int i = 0; i < count; i++)
            {
                mutations.Add(i % 500 == 250
                    ? Large(list)
                    : One(random, Kinds[random.Next(Kinds.Length)], list));
            }

            return mutations;
        }

        private static string Base(bool list, string job) =>
            list ? $$"""{"data":[{{job}},{{job.Replace("0d2b4e6a8c01", "0d2b4e6a8c02")}},{{job.Replace("0d2b4e6a8c01", "0d2b4e6a8c03")}}],"pagination":null}""" : job;

        private static string SetField(string job, string field, string value)
        {
            int start = job.IndexOf($"\"{field}\":", StringComparison.Ordinal) + field.Length + 3;
            int end = start;
            if (job[start] == '"')
            {
                end = job.IndexOf('"', start + 1) + 1;
            }
            else
            {
                while (end < job.Length && job[end] != ',' && job[end] != '}') end++;
            }

            return job[..start] + value + job[end..];
        }

        private static string RemoveField(string job, string field)
        {
            string set = SetField(job, field, "\u0001");
            return set.Replace($"\"{field}\":\u0001,", string.Empty).Replace($",\"{field}\":\u0001", string.Empty);
        }

        private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        private static Mutation Large(bool list)
        {
            // Past the 4 MiB cap: valid JSON, padded in an unknown field.
            string padded = Job.Replace("\"status\"", $"\"padding\":\"{new string('p', 5 * 1024 * 1024)}\",\"status\"");
            return new Mutation("over-the-cap", 200, "application/json", Utf8(Base(list, padded)));
        }

        private static Mutation One(Random random, string kind, bool list)
        {
            string field = Fields[random.Next(Fields.Length)];
            string good = Base(list, Job);
            switch (kind)
            {
                case "truncate":
                    return new Mutation(kind, 200, "application/json", Utf8(good)[..random.Next(good.Length)]);
                case "flip-bytes":
                {
                    byte[] bytes = Utf8(good);
                    for (int n = random.Next(1, 4); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    return new Mutation(kind, 200, "application/json", bytes);
                }

                case "wrong-type":
                    if (list && random.Next(3) == 0)
                    {
                        string value = WrongValues[random.Next(WrongValues.Length)];
                        string target = random.Next(2) == 0 ? $"\"data\":{value},\"pagination\":null" : $"\"data\":[],\"pagination\":{{\"next\":{value}}}";
                        return new Mutation(kind, 200, "application/json", Utf8("{" + target + "}"));
                    }

                    return new Mutation(kind, 200, "application/json", Utf8(Base(list, SetField(Job, field, WrongValues[random.Next(WrongValues.Length)]))));
                case "null-field":
                    return new Mutation(kind, 200, "application/json", Utf8(Base(list, SetField(Job, field, "null"))));
                case "drop-field":
                    return new Mutation(kind, 200, "application/json", Utf8(Base(list, RemoveField(Job, field))));
                case "huge-number":
                    return new Mutation(kind, 200, "application/json", Utf8(Base(list, SetField(Job, random.Next(3) == 0 ? field : "percent_complete", HugeNumbers[random.Next(HugeNumbers.Length)]))));
                case "bad-literal":
                    return new Mutation(kind, 200, "application/json", Utf8(Base(list, SetField(Job, field, BadLiterals[random.Next(BadLiterals.Length)]))));
                case "deep-nesting":
                {
                    int depth = new[] { 63, 64, 65, 200, 10_000, 200_000 }[random.Next(6)];
                    string nested = random.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                    return new Mutation(kind, 200, "application/json", Utf8(Base(list, Job.Replace("\"status\"", $"\"extra\":{nested},\"status\""))));
                }

                case "invalid-utf8":
                {
                    byte[] bytes = Utf8(Base(list, SetField(Job, Fields[random.Next(5)], "\"x\u0001y\"")));
                    int at = Array.IndexOf(bytes, (byte)1);
                    byte[] bad = BadUtf8[random.Next(BadUtf8.Length)];
                    return new Mutation(kind, 200, "application/json", [.. bytes[..at], .. bad, .. bytes[(at + 1)..]]);
                }

                case "content-type":
                    return new Mutation(kind, 200, ContentTypes[random.Next(ContentTypes.Length)], Utf8(good));
                case "utf16-body":
                    return new Mutation(kind, 200, "application/json; charset=utf-16", Encoding.Unicode.GetBytes(good));
                case "odd-timestamp":
                {
                    string[] stamps = ["\"2025-13-45T99:99:99Z\"", "\"not a date\"", "\"\"", "1748779200", "\"2025-06-01\"", "\"2025-06-01T12:00:00+14:00\"", "\"9999-12-31T23:59:59.9999999Z\"", "\"0001-01-01T00:00:00Z\"", "\"2025-06-01T12:00:00.123456789012Z\""];
                    return new Mutation(kind, 200, "application/json", Utf8(Base(list, SetField(Job, random.Next(2) == 0 ? "created_at" : "completed_at", stamps[random.Next(stamps.Length)]))));
                }

                case "extra-and-dupes":
                {
                    string job = random.Next(2) == 0
                        ? Job.Replace("{", "{\"restore_job_id\":\"dup\",\"unknown\":{\"deep\":[1,2,{\"x\":null}]},")
                        : Job.Replace("}", ",\"status\":\"Failed\",\"percent_complete\":null}");
                    return new Mutation(kind, 200, "application/json", Utf8(Base(list, job)));
                }

                case "error-body":
                {
                    string[] bodies =
                    [
                        "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"gone\"},\"status\":404}", "{\"error\":{\"code\":123,\"message\":null},\"status\":\"x\"}",
                        "{\"error\":null}", "{\"error\":\"text\"}", "[]", "<html><body>502 Bad Gateway</body></html>", "", "{\"error\":{\"code\":\"a,b\",\"message\":\"comma\"}}",
                        "{\"error\":{\"code\":\"\",\"message\":\"\"}}", "{\"error\":{\"code\":\"QUOTA_EXCEEDED\"", "{\"message\":\"no error object\"}",
                        "{\"error\":{\"code\":\"" + new string('A', 5000) + "\",\"message\":\"long code\"}}",
                    ];
                    int status = ErrorStatuses[random.Next(ErrorStatuses.Length)];
                    string? type = random.Next(3) == 0 ? "text/html" : "application/json";
                    return new Mutation(kind, status, type, Utf8(bodies[random.Next(bodies.Length)]));
                }

                case "empty-or-ws":
                {
                    string[] bodies = ["", " ", "\r\n\t ", "null", "0", "\"\"", "[]", "{}", "{\"data\":null}", "{\"data\":[null]}", "{\"data\":[{}]}"];
                    int[] statuses = [200, 200, 200, 201, 202]; // not 204: Kestrel refuses a 204 with a body
                    return new Mutation(kind, statuses[random.Next(statuses.Length)], "application/json", Utf8(bodies[random.Next(bodies.Length)]));
                }

                default: // bom-escapes
                {
                    string[] variants =
                    [
                        "\uFEFF" + good, good.Replace("Completed", "\\u0043ompleted"), good.Replace("products-restore", "\\u0000\\uD800\\uDFFF"),
                        good.Replace("products-restore", "\\ud800"), good.Replace(":", " : "), good.Replace("products-restore", "\\x41"),
                        "  " + good + "  \n", good + "garbage", good + good,
                    ];
                    return new Mutation(kind, 200, "application/json", Utf8(variants[random.Next(variants.Length)]));
                }
            }
        }
    }
}
