using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// The one place that turns what went wrong into an ErrorRecord: the id (the API's error code first, so the
    /// FullyQualifiedErrorId reads "NOT_FOUND,PineconeRestore.Commands.GetPineconeRestoreJobCommand"), the category and
    /// what to do about it.
    /// </summary>
    internal static class ErrorRecords
    {
        public const string ApiKeyMissingId = "ApiKeyMissing";
        public const string InvalidResponseId = "InvalidResponse";
        public const string RequestTimeoutId = "RequestTimeout";
        public const string ConnectionFailedId = "ConnectionFailed";
        public const string RepeatedPaginationTokenId = "RepeatedPaginationToken";
        public const string InsecureControllerHostId = "InsecureControllerHost";
        public const string InvalidControllerHostId = "InvalidControllerHost";
        public const string InvalidArgumentId = "InvalidArgument";
        public const string WaitTimeoutId = "WaitTimeout";
        public const string RestoreJobFailedId = "RestoreJobFailed";
        public const string RestoreJobCancelledId = "RestoreJobCancelled";
        public const string BackupFailedId = "BackupFailed";
        public const string BackupNotReadyId = "BackupNotReady";
        public const string BackupTestFailedId = "BackupTestFailed";

        private static readonly Regex s_quotedId = new Regex(@"['""]([^'""\s,\[\]]+)['""]", RegexOptions.CultureInvariant);

        public static ErrorRecord FromException(Exception exception, object? target)
        {
            switch (exception)
            {
                case PineconeApiException api:
                    var record = new ErrorRecord(api, api.ErrorCode, CategoryFor(api.ErrorCode), target);
                    string? action = RecommendedAction(api);
                    if (action != null)
                    {
                        record.ErrorDetails = new ErrorDetails(api.Message) { RecommendedAction = action };
                    }

                    return record;
                case PineconeInvalidResponseException invalid:
                    return new ErrorRecord(invalid, InvalidResponseId, ErrorCategory.InvalidResult, target);
                case PineconeConnectionException connection when connection.TimedOut:
                    return new ErrorRecord(connection, RequestTimeoutId, ErrorCategory.OperationTimeout, target);
                case PineconeConnectionException connection:
                    return new ErrorRecord(connection, ConnectionFailedId, ErrorCategory.ConnectionError, target);
                case PineconePaginationException pagination:
                    return new ErrorRecord(pagination, RepeatedPaginationTokenId, ErrorCategory.InvalidResult, pagination.Token);
                case InsecureControllerHostException insecure:
                    return new ErrorRecord(insecure, InsecureControllerHostId, ErrorCategory.SecurityError, target);
                case InvalidControllerHostException invalidHost:
                    return new ErrorRecord(invalidHost, InvalidControllerHostId, ErrorCategory.InvalidArgument, target);
                case ArgumentException argument:
                    return new ErrorRecord(argument, InvalidArgumentId, ErrorCategory.InvalidArgument, target);
                default:
                    return new ErrorRecord(exception, exception.GetType().Name, ErrorCategory.NotSpecified, target);
            }
        }

        public static ErrorRecord ApiKeyMissing()
        {
            var exception = new PSInvalidOperationException(
                $"No Pinecone API key: pass -ApiKey, run Connect-Pinecone -ApiKey, or set the environment variable {ConnectionResolver.ApiKeyVariable}.");
            return new ErrorRecord(exception, ApiKeyMissingId, ErrorCategory.AuthenticationError, null);
        }

        /// <summary>A wait's -Timeout passed before the item finished. The target is the item as last seen, else its id.</summary>
        public static ErrorRecord WaitTimeout(string noun, string id, object target, TimeSpan timeout, string? lastStatus, string recommendedAction)
        {
            string last = lastStatus == null ? "no poll of it came back in that time" : $"its status was last {lastStatus}";
            var exception = new TimeoutException(string.Format(CultureInfo.InvariantCulture, "The {0} {1} did not finish within the {2:0.###} s of -Timeout: {3}.", noun, id, timeout.TotalSeconds, last));
            return new ErrorRecord(exception, WaitTimeoutId, ErrorCategory.OperationTimeout, target)
            {
                ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction },
            };
        }

        /// <summary>
        /// An operation ended badly (RestoreJobFailed, RestoreJobCancelled, BackupFailed, BackupTestFailed): the item is the
        /// target; <paramref name="innerException"/> is what made it end so, when an error did.
        /// </summary>
        public static ErrorRecord OperationFailed(string errorId, ErrorCategory category, string message, string resourceId, string status, object target, string recommendedAction, Exception? innerException = null)
        {
            var exception = new PineconeOperationFailedException(message, resourceId, status, innerException);
            return new ErrorRecord(exception, errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction },
            };
        }

        /// <summary>A backup that cannot be restored yet (not Ready), or an index with no Ready backup: nothing was created.</summary>
        public static ErrorRecord BackupNotReady(string message, object target, string recommendedAction)
        {
            var exception = new PSInvalidOperationException(message);
            return new ErrorRecord(exception, BackupNotReadyId, ErrorCategory.ResourceUnavailable, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction },
            };
        }

        /// <summary>A 404 for an item a wait had seen: said as such, since Pinecone's 404s are not always final.</summary>
        public static ErrorRecord NotFoundAfterSeen(PineconeApiException exception, string noun, string id, int polls, object target)
        {
            ErrorRecord record = FromException(exception, target);
            record.ErrorDetails = new ErrorDetails(
                $"The {noun} {id} was seen earlier, but answered 404 NOT_FOUND {polls} times in a row: {exception.ApiMessage}")
            {
                RecommendedAction = $"Pinecone answers 404 while its store is unreachable, and when the {noun}'s index was deleted. Look again later; if it is still missing, it is gone.",
            };
            return record;
        }

        /// <summary>The record with its message kept and <paramref name="recommendedAction"/> as what to do.</summary>
        public static ErrorRecord WithAction(ErrorRecord record, string message, string recommendedAction)
        {
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
            return record;
        }

        /// <summary>
        /// A request that creates something (a POST) failed. After a 5xx, a timeout or a lost answer, Pinecone may have
        /// acted on it, so it was not sent again: the error says so and tells how to check before trying again.
        /// Otherwise <paramref name="actions"/> may give, for the API's code (FORBIDDEN, ALREADY_EXISTS, ...), a clearer message
        /// (null keeps the API's) and what to do.
        /// </summary>
        public static ErrorRecord CreateFailed(Exception exception, object? target, string check, Func<PineconeApiException, (string? Message, string Action)?>? actions = null)
        {
            ErrorRecord record = FromException(exception, target);
            if (MayHaveActed(exception))
            {
                return WithAction(
                    record,
                    exception.Message + " Pinecone may have acted on the request before it failed, so it was not sent again.",
                    $"Check with {check} before trying again: a second request could create it twice or fail as a duplicate.");
            }

            if (exception is PineconeApiException api && actions?.Invoke(api) is { } advice)
            {
                return WithAction(record, advice.Message ?? api.Message, advice.Action);
            }

            return record;
        }

        /// <summary>True when a request that is not safe to repeat may have been carried out although it failed.</summary>
        public static bool MayHaveActed(Exception exception) =>
            (exception is PineconeApiException api && api.StatusCode >= 500)
            || (exception is PineconeConnectionException connection && !connection.NeverReachedServer);

        /// <summary>The ids a 412 FAILED_PRECONDITION lists ("... pending restore jobs for this backup: ['id1', 'id2']").</summary>
        public static IReadOnlyList<string> QuotedIds(string message)
        {
            var ids = new List<string>();
            int list = message.LastIndexOf('[');
            if (list >= 0)
            {
                foreach (Match match in s_quotedId.Matches(message.Substring(list)))
                {
                    ids.Add(match.Groups[1].Value);
                }
            }

            return ids;
        }

        /// <summary>
        /// Errors after which every further request of the command would fail the same way: a key the API refuses, or
        /// a server that no attempt could reach. A failure about one answer (cut off, reset, timed out, not the spec's
        /// JSON) says nothing about the next id.
        /// </summary>
        public static bool EndsTheCommand(Exception exception) =>
            (exception is PineconeApiException api && api.ErrorCode == "UNAUTHENTICATED")
            || (exception is PineconeConnectionException connection && connection.NeverReachedServer);

        public static ErrorCategory CategoryFor(string errorCode)
        {
            switch (errorCode)
            {
                case "NOT_FOUND": return ErrorCategory.ObjectNotFound;
                case "UNAUTHENTICATED": return ErrorCategory.AuthenticationError;
                case "PERMISSION_DENIED":
                case "FORBIDDEN": return ErrorCategory.PermissionDenied;
                case "INVALID_ARGUMENT":
                case "OUT_OF_RANGE": return ErrorCategory.InvalidArgument;
                case "QUOTA_EXCEEDED":
                case "PAYMENT_REQUIRED": return ErrorCategory.QuotaExceeded;
                case "RESOURCE_EXHAUSTED": return ErrorCategory.LimitsExceeded;
                case "ALREADY_EXISTS": return ErrorCategory.ResourceExists;
                case "UNAVAILABLE": return ErrorCategory.ResourceUnavailable;
                case "DEADLINE_EXCEEDED": return ErrorCategory.OperationTimeout;
                case "FAILED_PRECONDITION":
                case "ABORTED": return ErrorCategory.InvalidOperation;
                case "UNIMPLEMENTED": return ErrorCategory.NotImplemented;
                case "UNPROCESSABLE_ENTITY": return ErrorCategory.InvalidData;
                case "DATA_LOSS": return ErrorCategory.ReadError;
                default: return ErrorCategory.NotSpecified; // UNKNOWN, INTERNAL, OK, and codes newer than 2025-04
            }
        }

        private static string? RecommendedAction(PineconeApiException api)
        {
            switch (api.ErrorCode)
            {
                case "UNAUTHENTICATED":
                    return "Check the API key given by -ApiKey, Connect-Pinecone or $env:" + ConnectionResolver.ApiKeyVariable + ", and that it belongs to this project.";
                case "RESOURCE_EXHAUSTED":
                case "UNAVAILABLE":
                    // Not "was retried": with -MaxRetries 0, or for a POST after a 5xx, it was not.
                    return "Pinecone is busy or unavailable. Try again later; Connect-Pinecone -MaxRetries sets how often a request is retried.";
                case "PAYMENT_REQUIRED":
                    return "The organization has past-due invoices: pay them in the Pinecone console to lift the restriction, then try again.";
                default:
                    return null;
            }
        }
    }
}
