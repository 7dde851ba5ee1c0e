#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Connecting, disconnecting and the key: what a user sees and what never shows.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Key = 'pcsk_PESTER-7c1e9a-never-print-me'
    $script:Emulator = Start-TestEmulator -Arguments '--api-key', $Key
}

AfterAll {
    Disconnect-Pinecone
    Stop-TestEmulator $Emulator
}

Describe 'Connect-Pinecone and Disconnect-Pinecone' {
    AfterEach { Disconnect-Pinecone }

    It 'connects the session; -PassThru shows where it goes, readably, and never the key' {
        $connection = Connect-Pinecone -ApiKey $Key -ControllerHost $Emulator.Url -TimeoutSec 10 -PassThru
        $connection.ControllerHost | Should -Be $Emulator.Url
        $connection.ControllerHost | Should -BeOfType ([string])
        $connection.ApiKeySource | Should -Be 'Session'
        $connection.TimeoutSec | Should -Be 10
        $text = $connection | Out-String
        $text | Should -Match 'ControllerHost\s+: http://127\.0\.0\.1:\d+/'
        $text | Should -Not -Match ([regex]::Escape($Key))
        @(Get-PineconeRestoreJob -First 2) | Should -HaveCount 2
    }

    It 'after Disconnect-Pinecone a command has no key and says how to give one' {
        Connect-Pinecone -ApiKey $Key -ControllerHost $Emulator.Url
        Disconnect-Pinecone
        { Get-PineconeRestoreJob -ControllerHost $Emulator.Url } | Should -Throw -ErrorId 'ApiKeyMissing,PineconeRestore.Commands.GetPineconeRestoreJobCommand'
    }

    It 'takes the key from PINECONE_API_KEY' {
        $env:PINECONE_API_KEY = $Key
        try {
            @(Get-PineconeRestoreJob -ControllerHost $Emulator.Url -First 1) | Should -HaveCount 1
            (Connect-Pinecone -ControllerHost $Emulator.Url -PassThru).ApiKeySource | Should -Be 'Environment'
        }
        finally {
            Remove-Item Env:PINECONE_API_KEY
        }
    }

    It 'refuses plain http to a remote host before sending anything' {
        { Get-PineconeRestoreJob -ApiKey $Key -ControllerHost 'http://example.com' } | Should -Throw -ErrorId 'InsecureControllerHost,*'
    }
}

Describe 'The API key' {
    It 'is on no stream, in no error and in no transcript, whatever went wrong' {
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 503; retryAfter = '0'; remaining = 1 }
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $null = Start-Transcript -Path $transcript
        try {
            $all = & {
                Connect-Pinecone -ApiKey $Key -ControllerHost $Emulator.Url -PassThru -Verbose
                Get-PineconeRestoreJob -First 2 -Verbose -Debug | Get-PineconeRestoreJob -Verbose
                Get-PineconeRestoreJob 'missing' -Verbose
                try { Get-PineconeRestoreJob -ApiKey "$($Key)x" } catch { $_ }  # a wrong key ends the command
            } *>&1 | Out-String
        }
        finally {
            $null = Stop-Transcript
        }
        $all | Should -Match 'Retry 1 of 3'  # the run got as far as the retry, the errors and the output
        $all | Should -Match 'NOT_FOUND'
        $all | Should -Match 'UNAUTHENTICATED'
        $all | Should -Not -Match ([regex]::Escape($Key))
        Get-Content $transcript -Raw | Should -Not -Match ([regex]::Escape($Key))
        ($Error | Out-String) | Should -Not -Match ([regex]::Escape($Key))
    }
}
