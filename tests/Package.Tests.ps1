#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The Gallery package: its layout, its nuspec against the manifest, the release notes against CHANGELOG.md.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $script:Manifest = Import-PowerShellDataFile (Join-Path $InstalledModule.ModuleBase 'PineconeRestore.psd1')
    $script:Nupkg = Get-TestPackage
    $zip = [System.IO.Compression.ZipFile]::OpenRead($Nupkg)
    try {
        $script:Entries = @($zip.Entries.FullName)
        $reader = [System.IO.StreamReader]::new($zip.GetEntry('PineconeRestore.nuspec').Open())
        try { $script:Nuspec = ([xml] $reader.ReadToEnd()).package.metadata } finally { $reader.Dispose() }
    }
    finally {
        $zip.Dispose()
    }
}

Describe 'The nupkg' {
    It 'is named PineconeRestore.(version).nupkg and holds the module at its root' {
        Split-Path $Nupkg -Leaf | Should -Be "PineconeRestore.$($Manifest.ModuleVersion).nupkg"
        $Entries | Should -Contain 'PineconeRestore.psd1'
        $Entries | Should -Contain 'PineconeRestore.dll'
        $Entries | Should -Contain 'PineconeRestore.format.ps1xml'
        $Entries | Should -Contain 'PineconeRestore.nuspec'
        $Entries | Should -Contain 'en-US/PineconeRestore.dll-Help.xml'
        $Entries | Should -Contain 'dependencies/System.Text.Json.dll'
        $Entries | Should -Not -Match '^PineconeRestore/'
    }

    It 'installs exactly the files the package holds' {
        $installed = Get-ChildItem $InstalledModule.ModuleBase -Recurse -File |
            ForEach-Object { $_.FullName.Substring($InstalledModule.ModuleBase.Length + 1).Replace('\', '/') } |
            Where-Object { $_ -notlike '*.nuspec' -and $_ -notlike 'PSGetModuleInfo.xml' -and $_ -notlike '*.psmdcp' }
        $packaged = $Entries | Where-Object { $_ -notmatch '^(\[Content_Types\]\.xml|_rels/|package/)' -and $_ -notlike '*.nuspec' }
        @($installed | Sort-Object) | Should -Be @($packaged | Sort-Object)
    }

    It 'has the manifest''s id, version, description, authors, URLs and release notes' {
        $Nuspec.id | Should -Be 'PineconeRestore'
        $Nuspec.version | Should -Be $Manifest.ModuleVersion
        $Nuspec.description | Should -Be $Manifest.Description
        $Nuspec.authors | Should -Be $Manifest.Author
        $Nuspec.projectUrl | Should -Be $Manifest.PrivateData.PSData.ProjectUri
        $Nuspec.licenseUrl | Should -Be $Manifest.PrivateData.PSData.LicenseUri
        $Nuspec.releaseNotes | Should -Be $Manifest.PrivateData.PSData.ReleaseNotes
    }

    It 'is tagged PSModule, PSIncludes_Cmdlet, and PSCmdlet_/PSCommand_ for each cmdlet in CmdletsToExport' {
        $tags = $Nuspec.tags -split ' '
        $tags | Should -Contain 'PSModule'
        $tags | Should -Contain 'PSIncludes_Cmdlet'
        foreach ($tag in $Manifest.PrivateData.PSData.Tags) { $tags | Should -Contain $tag }
        $Manifest.CmdletsToExport | Should -Not -BeNullOrEmpty
        foreach ($cmdlet in $Manifest.CmdletsToExport) {
            $tags | Should -Contain "PSCmdlet_$cmdlet"
            $tags | Should -Contain "PSCommand_$cmdlet"
        }
        @($tags -like 'PSCmdlet_*') | Should -HaveCount $Manifest.CmdletsToExport.Count
    }
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest where it is installed, with the cmdlets the DLL exports' {
        $module = Test-ModuleManifest (Join-Path $InstalledModule.ModuleBase 'PineconeRestore.psd1') -ErrorAction Stop
        $module.Version | Should -Be $Manifest.ModuleVersion
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
    }

    It 'has the ReleaseNotes of its version''s section in CHANGELOG.md, and a LICENSE' {
        $changelog = Get-Content (Join-Path $RepoRoot 'CHANGELOG.md') -Raw
        $section = [regex]::Match($changelog, "(?ms)^## \[$([regex]::Escape($Manifest.ModuleVersion))\][^\n]*\n(?<notes>.*?)(?=^## |^\[[^\]]+\]: |\z)")
        $section.Success | Should -BeTrue -Because "CHANGELOG.md has a section for $($Manifest.ModuleVersion)"
        $Manifest.PrivateData.PSData.ReleaseNotes.Replace("`r`n", "`n").Trim() | Should -Be $section.Groups['notes'].Value.Replace("`r`n", "`n").Trim()
        Get-Content (Join-Path $RepoRoot 'LICENSE') -TotalCount 1 | Should -Be 'MIT License'
    }
}
