#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds PineconeRestore and its Gallery package; with -Test runs every test.
.DESCRIPTION
    Run it with the repository's own pwsh (a pinned .NET tool): `dotnet tool restore`, then `dotnet pwsh ./build.ps1`.

    Build: `dotnet build PineconeRestore.sln` stages the module at out/PineconeRestore/ (and restores Pester 5.7.1
    from NuGet into out/Modules/); then the Gallery package out/PineconeRestore.<version>.nupkg is written from it.

    -Test runs the xunit suites (`dotnet test`, against out/PineconeRestore/), then installs the nupkg into a clean
    HOME (out/TestHome/) from a local folder repository and runs tests/*.Tests.ps1 with Pester 5.7.1 in a fresh
    pwsh that sees only that installed copy. It ends with one line, `Tests: N passed, N failed`, and exits 1 when a
    test failed.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Pester -PesterPath tests/Get-PineconeRestoreJob.Tests.ps1
    Builds, packages, installs, and runs one Pester file: the quick loop while writing a Pester test.
.EXAMPLE
    powershell -File ./build.ps1 -Pester -NoBuild
    In CI: runs the Pester suite under Windows PowerShell 5.1 against the nupkg already in out/.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # xunit and Pester; the closing line adds up both.
    [switch] $Test,

    # Only the Pester suite, against the installed package.
    [switch] $Pester,

    # Pester files or folders to run (default: tests/, every *.Tests.ps1 in it).
    [string[]] $PesterPath,

    # Use out/ as it is: the staged module, the nupkg and a built emulator (CI jobs that downloaded the package).
    [switch] $NoBuild
)

# Written for pwsh 7 and Windows PowerShell 5.1 alike: CI runs the Pester suite under both.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$manifestPath = Join-Path $root 'PineconeRestore.psd1'
$manifest = Import-PowerShellDataFile $manifestPath
$version = $manifest.ModuleVersion
$nupkgPath = Join-Path $out "PineconeRestore.$version.nupkg"
$pesterVersion = '5.7.1'

. (Join-Path $root 'tools/FreshShell.ps1')

function New-GalleryPackage([string] $ModuleFolder, [string] $Destination) {
    <#
    Writes the nupkg as the PowerShell Gallery serves a module: the module's files at the package root and a nuspec
    whose tags say what it contains (PSModule, PSIncludes_Cmdlet, PSCmdlet_<name> and PSCommand_<name> for each
    cmdlet in CmdletsToExport), which is what Find-Module -Command / Find-Command search. Written here rather than
    by Publish-PSResource, whose nuspec lacks the PSCmdlet_/PSIncludes_Cmdlet tags, or Publish-Module, which packs
    through a netcoreapp2.0 project that the .NET 10 SDK refuses (NETSDK1061).
    #>
    Add-Type -AssemblyName System.IO.Compression
    $data = Import-PowerShellDataFile (Join-Path $ModuleFolder 'PineconeRestore.psd1')
    $psData = $data.PrivateData.PSData
    $tags = [System.Collections.Generic.List[string]]::new()
    foreach ($tag in @($psData.Tags) + 'PSModule') { if (-not $tags.Contains($tag)) { $tags.Add($tag) } }
    if ($data.CmdletsToExport) { $tags.Add('PSIncludes_Cmdlet') }
    foreach ($cmdlet in $data.CmdletsToExport) { $tags.Add("PSCmdlet_$cmdlet"); $tags.Add("PSCommand_$cmdlet") }

    $nuspec = [System.Xml.XmlDocument]::new()
    $ns = 'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd'
    $package = $nuspec.AppendChild($nuspec.CreateElement('package', $ns))
    $metadata = $package.AppendChild($nuspec.CreateElement('metadata', $ns))
    $fields = [ordered]@{
        id                       = 'PineconeRestore'
        version                  = $data.ModuleVersion
        authors                  = $data.Author
        owners                   = $data.CompanyName
        requireLicenseAcceptance = 'false'
        licenseUrl               = $psData.LicenseUri
        projectUrl               = $psData.ProjectUri
        description              = $data.Description
        releaseNotes             = $psData.ReleaseNotes
        copyright                = $data.Copyright
        tags                     = $tags -join ' '
    }
    foreach ($name in $fields.Keys) {
        $metadata.AppendChild($nuspec.CreateElement($name, $ns)).InnerText = $fields[$name]
    }

    $staging = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $staging
    try {
        $nuspecPath = Join-Path $staging 'PineconeRestore.nuspec'
        $nuspec.Save($nuspecPath)
        Get-ChildItem $Destination -Filter 'PineconeRestore.*.nupkg' | Remove-Item
        $target = Join-Path $Destination "PineconeRestore.$($data.ModuleVersion).nupkg"
        $zip = [System.IO.Compression.ZipFile]::Open($target, 'Create')
        try {
            $files = @(Get-ChildItem $ModuleFolder -Recurse -File | Sort-Object FullName)
            foreach ($file in $files) {
                $name = $file.FullName.Substring($ModuleFolder.TrimEnd('\', '/').Length + 1).Replace('\', '/')
                $null = [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $file.FullName, $name)
            }
            $null = [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $nuspecPath, 'PineconeRestore.nuspec')
            # The Open Packaging parts nuget pack writes; both installers expect them and remove them on install.
            $types = '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />' +
                '<Default Extension="nuspec" ContentType="application/octet" />' +
                (($files.Extension + '.nuspec' | Where-Object { $_ } | ForEach-Object { $_.TrimStart('.').ToLowerInvariant() } | Sort-Object -Unique |
                    Where-Object { $_ -notin 'rels', 'nuspec' } | ForEach-Object { "<Default Extension=`"$_`" ContentType=`"application/octet`" />" }) -join '') +
                '</Types>'
            $rels = '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
                '<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/PineconeRestore.nuspec" Id="R1" /></Relationships>'
            foreach ($part in @(@('[Content_Types].xml', $types), @('_rels/.rels', $rels))) {
                $writer = [System.IO.StreamWriter]::new($zip.CreateEntry($part[0]).Open(), [System.Text.UTF8Encoding]::new($false))
                try { $writer.Write($part[1]) } finally { $writer.Dispose() }
            }
        }
        finally {
            $zip.Dispose()
        }
        Get-Item $target
    }
    finally {
        Remove-Item $staging -Recurse -Force
    }
}

function Get-PesterManifest {
    # Pester 5.7.1 exactly: installed from the Gallery (CI does), else restored from NuGet by the build.
    $installed = Get-Module Pester -ListAvailable | Where-Object { $_.Version -eq [version] $pesterVersion } | Select-Object -First 1
    if ($installed) { return $installed.Path }
    $restored = Join-Path $out "Modules/Pester/$pesterVersion/Pester.psd1"
    if (Test-Path $restored) { return $restored }
    throw "Pester $pesterVersion is neither installed nor in $restored (dotnet build restores it there)."
}

function Invoke-PesterSuite {
    # Installs the nupkg into a clean HOME, then runs Pester in a fresh shell; returns passed and failed counts.
    if (-not (Test-Path $nupkgPath)) { throw "$nupkgPath is missing: build it with ./build.ps1" }
    $testHome = Join-Path $out 'TestHome'
    $environment = New-CleanHomeEnvironment $testHome
    $environment.PINECONE_NUPKG = $nupkgPath
    $emulatorDll = Get-ChildItem (Join-Path $root "src/PineconeRestore.Emulator/bin/$Configuration/*/PineconeRestore.Emulator.dll") -ErrorAction SilentlyContinue |
        Select-Object -First 1
    if ($emulatorDll) { $environment.PINECONE_EMULATOR_DLL = $emulatorDll.FullName }

    # On Windows the CurrentUser folder is under Documents, which HOME does not move: install for all users there
    # (CI runners are admins), so that tests/Install.Tests.ps1 installs and removes its own CurrentUser copies.
    $scope = if ([System.Environment]::OSVersion.Platform -eq 'Win32NT') { 'AllUsers' } else { 'CurrentUser' }
    Write-Host "Installing $nupkgPath ($scope) with HOME=$testHome"
    $install = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
if (Get-Command Install-PSResource -ErrorAction SilentlyContinue) {
    Register-PSResourceRepository -Name PineconeRestoreBuild -Uri '$out' -Trusted
    Install-PSResource PineconeRestore -Repository PineconeRestoreBuild -Version '$version' -Scope $scope -TrustRepository
} else {
    # Windows PowerShell 5.1 has PowerShellGet only.
    Register-PSRepository -Name PineconeRestoreBuild -SourceLocation '$out' -InstallationPolicy Trusted
    Install-Module PineconeRestore -Repository PineconeRestoreBuild -RequiredVersion '$version' -Scope $scope
}
(Get-Module PineconeRestore -ListAvailable).ModuleBase
"@
    Invoke-FreshShell $install $environment
    if ($LASTEXITCODE) { throw 'Installing the package failed.' }

    $results = Join-Path $out 'TestResults'
    $null = New-Item -ItemType Directory $results -Force
    $counts = Join-Path $results 'pester-counts.txt'
    # From bash, "-PesterPath a,b" arrives as one string: split it.
    $paths = if ($PesterPath) { @($PesterPath | ForEach-Object { $_ -split "," } | ForEach-Object { (Resolve-Path $_).Path }) } else { @(Join-Path $root 'tests') }
    $run = @"
Import-Module '$(Get-PesterManifest)' -ErrorAction Stop
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = @('$($paths -join "','")')
`$configuration.Run.PassThru = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$configuration.TestResult.Enabled = `$true
`$configuration.TestResult.OutputPath = '$(Join-Path $results 'pester.xml')'
`$result = Invoke-Pester -Configuration `$configuration
# Tests that could not even start (a failing BeforeAll, a broken file) count as failed.
`$failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount
Set-Content -Path '$counts' -Value "`$(`$result.PassedCount) `$failed"
exit [int] (`$failed -gt 0)
"@
    if (Test-Path $counts) { Remove-Item $counts }
    Invoke-FreshShell $run $environment
    if (-not (Test-Path $counts)) { throw 'The Pester run ended before it reported its counts.' }
    $passed, $failed = (Get-Content $counts -Raw).Trim() -split ' '
    [pscustomobject]@{ Passed = [int] $passed; Failed = [int] $failed }
}

function Invoke-XunitSuite {
    # Every xunit project of the solution, one .trx each; returns passed and failed counts.
    $results = Join-Path $out 'TestResults/xunit'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    # Out-Host: to the console, not into this function's result.
    dotnet test (Join-Path $root 'PineconeRestore.sln') --configuration $Configuration --no-build --logger trx --results-directory $results | Out-Host
    $exitCode = $LASTEXITCODE
    $passed = 0
    $failed = 0
    foreach ($trx in Get-ChildItem $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
        # -LiteralPath: two projects that finish in the same second get names like 'x[1].trx', which is a wildcard.
        $counters = ([xml] (Get-Content -LiteralPath $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed
    }
    # A crash of the test host reports no failed test but a non-zero exit.
    if ($exitCode -and -not $failed) { $failed = 1 }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

Push-Location $root
try {
    if (-not $NoBuild) {
        dotnet build PineconeRestore.sln --configuration $Configuration
        if ($LASTEXITCODE) { throw "dotnet build failed with exit code $LASTEXITCODE" }
        $package = New-GalleryPackage -ModuleFolder (Join-Path $out 'PineconeRestore') -Destination $out
        Write-Host "Package: $($package.FullName)"
    }

    $counts = @()
    if ($Test) { $counts += Invoke-XunitSuite }
    if ($Test -or $Pester) { $counts += Invoke-PesterSuite }
    if ($counts) {
        $passed = ($counts | Measure-Object Passed -Sum).Sum
        $failed = ($counts | Measure-Object Failed -Sum).Sum
        Write-Host "Tests: $passed passed, $failed failed"
        if ($failed -or -not $passed) { exit 1 }
    }
}
finally {
    Pop-Location
}
