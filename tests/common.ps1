# Shared by the Pester tests (dot-source it in BeforeAll). They test the module as users get it: build.ps1 -Test
# installs the nupkg into a clean HOME and runs Invoke-Pester in a fresh pwsh, so `PineconeRestore` here is the
# installed copy, found on PSModulePath, never the build folder.
#
#   BeforeAll {
#       . (Join-Path $PSScriptRoot 'common.ps1')
#       $script:Emulator = Start-TestEmulator            # or: Start-TestEmulator -Arguments '--no-seed'
#       Connect-TestEmulator $Emulator                   # Connect-Pinecone to it
#   }
#   AfterAll { Stop-TestEmulator $Emulator }

$script:RepoRoot = Split-Path $PSScriptRoot -Parent
# Invoke-FreshShell: a new pwsh (or powershell.exe) process, for what only a fresh process shows.
. (Join-Path $RepoRoot 'tools/FreshShell.ps1')

# A test run of the build folder instead (quicker while editing a test) needs PINECONE_TEST_ALLOW_BUILD_FOLDER=1 and
# the folder on PSModulePath; otherwise the module must come from an installed package.
$script:InstalledModule = Get-Module PineconeRestore -ListAvailable | Sort-Object Version -Descending | Select-Object -First 1
if (-not $InstalledModule) {
    throw 'PineconeRestore is not installed on PSModulePath. Run the Pester suite with: dotnet pwsh ./build.ps1 -Pester'
}
$buildFolder = [System.IO.Path]::GetFullPath((Join-Path $RepoRoot 'out/PineconeRestore'))
if ($InstalledModule.ModuleBase.StartsWith($buildFolder) -and $env:PINECONE_TEST_ALLOW_BUILD_FOLDER -ne '1') {
    throw "PineconeRestore resolves to the build folder $buildFolder, not an installed package."
}

<#
.SYNOPSIS
    Starts the emulator in its own process on a free port (port 0) and returns Process, Url (ends in /) and ApiKey.
.PARAMETER Arguments
    More command-line arguments for the emulator, e.g. '--no-seed' or '--api-key', 'k'.
#>
function Start-TestEmulator {
    param([string[]] $Arguments = @())

    # build.ps1 names the emulator it built; else the newest build, else dotnet run (which builds it).
    $dll = $env:PINECONE_EMULATOR_DLL
    if (-not $dll) {
        $dll = Get-ChildItem (Join-Path $RepoRoot 'src/PineconeRestore.Emulator/bin/*/net*/PineconeRestore.Emulator.dll') -ErrorAction SilentlyContinue |
            Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1 -ExpandProperty FullName
    }
    $emulatorArguments = @('--port', '0', '--exit-on-stdin-close') + $Arguments
    $dotnetArguments = if ($dll) { @($dll) + $emulatorArguments }
    else { @('run', '--project', (Join-Path $RepoRoot 'src/PineconeRestore.Emulator'), '--') + $emulatorArguments }

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    # One string, quoted: ProcessStartInfo.ArgumentList is not in Windows PowerShell 5.1's .NET Framework.
    $start.Arguments = ($dotnetArguments | ForEach-Object { '"{0}"' -f $_ }) -join ' '
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    # dotnet run may print build messages first: read until the emulator's own line.
    $seen = [System.Collections.Generic.List[string]]::new()
    while ($null -ne ($line = $process.StandardOutput.ReadLine())) {
        if ($line -match 'listening on (?<url>\S+) \(api key: (?<key>\S+)\)') { break }
        $seen.Add($line)
    }
    if ($null -eq $line) {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The emulator did not start: $($seen -join [Environment]::NewLine)"
    }
    [pscustomobject]@{ Process = $process; Url = $Matches.url; ApiKey = $Matches.key }
}

function Stop-TestEmulator($Emulator) {
    if (-not $Emulator) { return }
    $Emulator.Process.StandardInput.Close()
    if (-not $Emulator.Process.WaitForExit(5000)) { $Emulator.Process.Kill() }
}

function Connect-TestEmulator($Emulator, [int] $MaxRetries = 3) {
    Connect-Pinecone -ApiKey $Emulator.ApiKey -ControllerHost $Emulator.Url -MaxRetries $MaxRetries
}

function Invoke-EmulatorAdmin($Emulator, [string] $Method, [string] $Path, $Body) {
    $request = @{ Method = $Method; Uri = "$($Emulator.Url)_emulator/$Path" }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.Body = ConvertTo-Json -InputObject $Body -Depth 5
        $request.ContentType = 'application/json'
    }
    # Unrolled, so that `| Where-Object` sees each item, not the array Invoke-RestMethod returns as one object.
    Invoke-RestMethod @request | ForEach-Object { $_ }
}

<# Adds a fault rule (the emulator's FaultRule, camelCase: kind, statusCode, remaining, retryAfter, pathPrefix...). #>
function Add-EmulatorFault($Emulator, [hashtable] $Rule) {
    $null = Invoke-EmulatorAdmin $Emulator Post faults $Rule
}

<# Adds a restore job (restoreJobId, backupId, targetIndexName, targetIndexId, status, createdAt, ...). #>
function Add-EmulatorJob($Emulator, [hashtable] $Job) {
    $null = Invoke-EmulatorAdmin $Emulator Post jobs $Job
}

<# Sample jobs back, faults and the request log cleared. #>
function Reset-Emulator($Emulator) {
    $null = Invoke-EmulatorAdmin $Emulator Post reset
}

<# The API requests the emulator received, oldest first, one object each (method, path, query, ...). #>
function Get-EmulatorRequest($Emulator) {
    Invoke-EmulatorAdmin $Emulator Get requests
}

<# The sample jobs as the emulator holds them. #>
function Get-EmulatorJob($Emulator) {
    Invoke-EmulatorAdmin $Emulator Get jobs
}

<# The nupkg under test: the one build.ps1 installed (PINECONE_NUPKG), else the one in out/. #>
function Get-TestPackage {
    if ($env:PINECONE_NUPKG) { return $env:PINECONE_NUPKG }
    $found = @(Get-ChildItem (Join-Path $RepoRoot 'out') -Filter 'PineconeRestore.*.nupkg')
    if ($found.Count -ne 1) { throw "Expected one PineconeRestore.*.nupkg in out/, found $($found.Count): run ./build.ps1" }
    $found[0].FullName
}
