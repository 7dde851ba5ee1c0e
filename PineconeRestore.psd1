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
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Get-PineconeRestoreJob, Connect-Pinecone, Disconnect-Pinecone against the Pinecone control plane API 2025-04.'
        }
    }
}
