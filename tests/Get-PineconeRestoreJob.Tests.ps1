#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5 tests for people with pwsh or Windows PowerShell: the user stories the xunit suite proves in the hosted engine.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModuleManifest -Force
    $script:Emulator = Start-TestEmulator
    Connect-Pinecone -ApiKey $Emulator.ApiKey -ControllerHost $Emulator.Url
}

AfterAll {
    Disconnect-Pinecone
    Stop-TestEmulator $Emulator
}

Describe 'Get-PineconeRestoreJob' {
    BeforeEach { Reset-Emulator $Emulator }

    It 'lists typed jobs that Where-Object can filter' {
        $completed = Get-PineconeRestoreJob | Where-Object Status -eq Completed
        $completed | Should -Not -BeNullOrEmpty
        $completed | ForEach-Object { $_ | Should -BeOfType ([PineconeRestore.RestoreJob]) ; $_.Status | Should -Be 'Completed' }
    }

    It 'stops requesting pages once -First is satisfied' {
        $jobs = Get-PineconeRestoreJob -PageSize 2 -First 3
        $jobs | Should -HaveCount 3
        @(Get-EmulatorRequest $Emulator | Where-Object Path -eq '/restore-jobs') | Should -HaveCount 2
    }

    It 'describes piped ids and writes one error for the bad one' {
        $ids = (Get-PineconeRestoreJob -First 3).RestoreJobId
        $jobs = $ids[0], 'no-such-job', $ids[1], $ids[2] | Get-PineconeRestoreJob -ErrorVariable failures -ErrorAction SilentlyContinue
        $jobs.RestoreJobId | Should -Be $ids
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NOT_FOUND,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'no-such-job'
        $failures[0].Exception.ApiMessage | Should -Be 'Restore job no-such-job not found.'
    }

    It 'escapes ids so they cannot reach another endpoint' {
        Get-PineconeRestoreJob '../indexes' -ErrorAction SilentlyContinue
        (Get-EmulatorRequest $Emulator)[-1].Path | Should -Be '/restore-jobs/..%2Findexes'
    }

    It 'rejects a bad page size before any request' {
        { Get-PineconeRestoreJob -PageSize 101 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PineconeRestore.Commands.GetPineconeRestoreJobCommand'
        Get-EmulatorRequest $Emulator | Should -BeNullOrEmpty
    }

    It 'retries a 503 and says so on the Verbose stream' {
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 503; retryAfter = '0'; remaining = 1 }
        $verbose = Get-PineconeRestoreJob -First 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose.Message -like 'Retry 1 of 3*HTTP 503*') | Should -HaveCount 1
    }
}

Describe 'Connecting' {
    It 'fails with ApiKeyMissing when no key is anywhere' {
        $saved = $env:PINECONE_API_KEY
        try {
            Remove-Item Env:PINECONE_API_KEY -ErrorAction SilentlyContinue
            Disconnect-Pinecone
            { Get-PineconeRestoreJob -ControllerHost $Emulator.Url } | Should -Throw -ErrorId 'ApiKeyMissing,PineconeRestore.Commands.GetPineconeRestoreJobCommand'
        }
        finally {
            $env:PINECONE_API_KEY = $saved
            Connect-Pinecone -ApiKey $Emulator.ApiKey -ControllerHost $Emulator.Url
        }
    }

    It 'refuses plain http to a remote host' {
        { Get-PineconeRestoreJob -ControllerHost 'http://example.com' } | Should -Throw -ErrorId 'InsecureControllerHost,*'
    }

    It 'never shows the key on the Verbose stream or in errors' {
        $all = & { Get-PineconeRestoreJob -First 2 -Verbose; Get-PineconeRestoreJob 'missing' } *>&1 | Out-String
        $all | Should -Not -Match ([regex]::Escape($Emulator.ApiKey))
    }
}
