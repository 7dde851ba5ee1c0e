#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds PineconeRestore into out/PineconeRestore/, and runs the tests with -Test.
.DESCRIPTION
    A thin wrapper for people who have pwsh: it runs the same `dotnet build` / `dotnet test` as everyone else and
    adds nothing, so the module staged here is the module CI tests. With -Pester it also runs tests/*.Tests.ps1
    against the staged module (needs Pester 5).
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $Test,

    [switch] $Pester
)

$ErrorActionPreference = 'Stop'
Push-Location $PSScriptRoot
try {
    dotnet build PineconeRestore.sln --configuration $Configuration
    if ($LASTEXITCODE) { throw "dotnet build failed with exit code $LASTEXITCODE" }

    if ($Test) {
        dotnet test PineconeRestore.sln --configuration $Configuration --no-build
        if ($LASTEXITCODE) { throw "dotnet test failed with exit code $LASTEXITCODE" }
    }

    if ($Pester) {
        Import-Module Pester -MinimumVersion 5.0 -ErrorAction Stop
        $result = Invoke-Pester -Path (Join-Path $PSScriptRoot 'tests') -Output Detailed -PassThru
        if ($result.FailedCount) { throw "$($result.FailedCount) Pester test(s) failed" }
    }

    Get-Item (Join-Path $PSScriptRoot 'out/PineconeRestore')
}
finally {
    Pop-Location
}
