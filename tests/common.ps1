# Shared by the Pester tests: the staged module and a local emulator started for the test run.
$script:RepoRoot = Split-Path $PSScriptRoot -Parent
$script:ModuleManifest = Join-Path $RepoRoot 'out/PineconeRestore/PineconeRestore.psd1'

function Start-TestEmulator {
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $project = Join-Path $script:RepoRoot 'src/PineconeRestore.Emulator'
    $start.Arguments = "run --project `"$project`" -- --port 0 --exit-on-stdin-close"
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    # dotnet run may print build messages first: read until the emulator's own line.
    $seen = @()
    while ($null -ne ($line = $process.StandardOutput.ReadLine())) {
        if ($line -match 'listening on (?<url>\S+) \(api key: (?<key>\S+)\)') { break }
        $seen += $line
    }
    if ($null -eq $line) {
        $process.Kill()
        throw "The emulator did not start: $($seen -join [Environment]::NewLine)"
    }
    [pscustomobject]@{ Process = $process; Url = $Matches.url; ApiKey = $Matches.key }
}

function Stop-TestEmulator($Emulator) {
    $Emulator.Process.StandardInput.Close()
    if (-not $Emulator.Process.WaitForExit(5000)) { $Emulator.Process.Kill() }
}

function Add-EmulatorFault($Emulator, [hashtable] $Rule) {
    $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.Url)_emulator/faults" -Body ($Rule | ConvertTo-Json) -ContentType 'application/json'
}

function Reset-Emulator($Emulator) {
    $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.Url)_emulator/reset"
}

function Get-EmulatorRequest($Emulator) {
    Invoke-RestMethod -Uri "$($Emulator.Url)_emulator/requests"
}
