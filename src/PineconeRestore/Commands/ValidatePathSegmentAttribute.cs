using System.Management.Automation;
using PineconeRestore.Client;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// Refuses "." and ".." at binding: no URL can carry them as an id (System.Uri collapses them), so they fail
    /// before any request; and a blank id, which names nothing. Every other character is escaped by the client.
    /// </summary>
    public sealed class ValidatePathSegmentAttribute : ValidateEnumeratedArgumentsAttribute
    {
        protected override void ValidateElement(object element)
        {
            if (element is string text && ApiPath.IsDotSegment(text))
            {
                throw new ValidationMetadataException($"'{text}' is not an id: '.' and '..' are relative path segments.");
            }

            if (element is string blank && blank.Length > 0 && blank.Trim().Length == 0)
            {
                throw new ValidationMetadataException("A blank id names nothing: give the id itself.");
            }
        }
    }
}
