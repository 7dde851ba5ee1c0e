# Source manifest. Its ModuleVersion is the only version in the repository: Directory.Build.props reads it for the
# assembly, and the build copies this file unchanged into out/PineconeRestore/.
@{
    RootModule           = 'PineconeRestore.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c7d0e-3c8b-4a4e-9d55-2b1f6a7c9e41'
    Author               = 'PineconeRestore contributors'
    CompanyName          = 'PineconeRestore'
    Copyright            = '(c) PineconeRestore contributors. MIT License.'
    Description          = 'See and drive Pinecone backup-restore jobs from PowerShell: typed objects, pages followed for you, errors you can catch by their API code.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('PineconeRestore.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Pinecone'
        'Disconnect-Pinecone'
        'Get-PineconeRestoreJob'
        'Test-PineconeBackup'
        'Wait-PineconeRestoreJob'
        'Get-PineconeBackup'
        'New-PineconeBackup'
        'Remove-PineconeBackup'
        'Restore-PineconeBackup'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Pinecone', 'Backup', 'Restore', 'VectorDatabase', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/pineconerestore/PineconeRestore'
            LicenseUri   = 'https://github.com/pineconerestore/PineconeRestore/blob/main/LICENSE'
            # The CHANGELOG.md section of this ModuleVersion, word for word (tests/Package.Tests.ps1 checks it).
            ReleaseNotes = @'
### Added

- `Get-PineconeRestoreJob`: list restore jobs (every page, `-First`/`-Skip`, `-PageSize`) or describe them by id.
- `Connect-Pinecone` and `Disconnect-Pinecone`: the session's key, controller URL, timeout and retries.
- Errors you can catch by the API's code; retries with backoff that honour `Retry-After`; help for every cmdlet.
- A local Pinecone emulator for testing scripts offline.
'@
        }
    }
}
