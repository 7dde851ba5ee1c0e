#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The README's and the help's stories for Get-PineconeRestoreJob, as a user runs them: the installed module, real
# cmdlets, the emulator in its own process.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:SampleIds = @(Get-EmulatorJob $Emulator).restoreJobId
    Connect-TestEmulator $Emulator
}

AfterAll {
    Disconnect-Pinecone
    Stop-TestEmulator $Emulator
}

Describe 'Get-PineconeRestoreJob' {
    BeforeEach { Reset-Emulator $Emulator }

    It 'comes from the installed package, not the build folder' {
        (Get-Command Get-PineconeRestoreJob).Module.ModuleBase | Should -Be $InstalledModule.ModuleBase
    }

    It 'lists every job, following the pages, as typed objects that Where-Object filters' {
        $all = Get-PineconeRestoreJob -PageSize 5
        $all.RestoreJobId | Should -Be $SampleIds
        @(Get-EmulatorRequest $Emulator | Where-Object path -eq '/restore-jobs') | Should -HaveCount 3

        $completed = Get-PineconeRestoreJob | Where-Object Status -eq Completed
        $completed | Should -Not -BeNullOrEmpty
        $completed | ForEach-Object { $_ | Should -BeOfType ([PineconeRestore.RestoreJob]); $_.Status | Should -Be 'Completed' }
    }

    It '| Select-Object -First 3 stops requesting pages' {
        $jobs = Get-PineconeRestoreJob -PageSize 2 | Select-Object -First 3
        $jobs.RestoreJobId | Should -Be $SampleIds[0..2]
        # Two pages hold three jobs; there were six.
        @(Get-EmulatorRequest $Emulator | Where-Object path -eq '/restore-jobs') | Should -HaveCount 2
    }

    It '-First and -Skip page through the list' {
        (Get-PineconeRestoreJob -First 3).RestoreJobId | Should -Be $SampleIds[0..2]
        (Get-PineconeRestoreJob -Skip 3 -First 3 -PageSize 2).RestoreJobId | Should -Be $SampleIds[3..5]
    }

    It 'describes the ids in the pipeline; a bad one writes an error and the others still come out' {
        $ids = $SampleIds[0], 'no-such-job', $SampleIds[2], $SampleIds[3]
        $jobs = $ids | Get-PineconeRestoreJob -ErrorVariable failures -ErrorAction SilentlyContinue
        $jobs.RestoreJobId | Should -Be $SampleIds[0], $SampleIds[2], $SampleIds[3]
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NOT_FOUND,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'no-such-job'
        $failures[0].Exception.ApiMessage | Should -Be 'Restore job no-such-job not found.'
    }

    It 'describes the first jobs of the list through the pipeline' {
        (Get-PineconeRestoreJob -First 2 | Get-PineconeRestoreJob).RestoreJobId | Should -Be $SampleIds[0..1]
    }

    It 'lets a script catch a missing job by exception type, and stop there with -ErrorAction Stop' {
        $after = $false
        try {
            Get-PineconeRestoreJob 'no-such-job' -ErrorAction Stop
            $after = $true
        }
        catch [PineconeRestore.PineconeApiException] {
            $caught = $_
        }
        $after | Should -BeFalse
        $caught.Exception.ErrorCode | Should -Be 'NOT_FOUND'
        $caught.Exception.StatusCode | Should -Be 404
    }

    It 'lets a script tell errors apart by FullyQualifiedErrorId' {
        { Get-PineconeRestoreJob 'no-such-job' -ErrorAction Stop } |
            Should -Throw -ErrorId 'NOT_FOUND,PineconeRestore.Commands.GetPineconeRestoreJobCommand'
        { Get-PineconeRestoreJob -ApiKey 'wrong' } | Should -Throw -ErrorId 'UNAUTHENTICATED,*'
    }

    It 'escapes ids so they cannot reach another endpoint' {
        Get-PineconeRestoreJob '../indexes' -ErrorAction SilentlyContinue
        @(Get-EmulatorRequest $Emulator)[-1].path | Should -Be '/restore-jobs/..%2Findexes'
    }

    It 'rejects a bad page size and an id of only spaces before any request' {
        { Get-PineconeRestoreJob -PageSize 101 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Get-PineconeRestoreJob '   ' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        Get-EmulatorRequest $Emulator | Should -BeNullOrEmpty
    }

    It 'retries a 503 and says so on the Verbose stream' {
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 503; retryAfter = '0'; remaining = 1 }
        $verbose = Get-PineconeRestoreJob -First 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose.Message -like 'Retry 1 of 3 for GET *HTTP 503 UNAVAILABLE') | Should -HaveCount 1
    }

    It 'says what it requests on the Verbose stream whenever Verbose is shown, however it was turned on' {
        function VerboseLines([scriptblock] $Run) {
            @(& $Run 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Where-Object Message -like 'GET *restore-jobs*-> 200*')
        }
        function Invoke-Listing { [CmdletBinding()] param() Get-PineconeRestoreJob -First 1 }

        VerboseLines { Get-PineconeRestoreJob -First 1 -Verbose } | Should -HaveCount 1
        VerboseLines { $VerbosePreference = 'Continue'; Get-PineconeRestoreJob -First 1 } | Should -HaveCount 1
        VerboseLines { Invoke-Listing -Verbose } | Should -HaveCount 1
        VerboseLines { $PSDefaultParameterValues = @{ 'Get-PineconeRestoreJob:Verbose' = $true }; Get-PineconeRestoreJob -First 1 } | Should -HaveCount 1
        VerboseLines { $VerbosePreference = 'Continue'; Get-PineconeRestoreJob -First 1 -Verbose:$false } | Should -HaveCount 0
        VerboseLines { Get-PineconeRestoreJob -First 1 } | Should -HaveCount 0
    }

    It 'with -MaxRetries 0 does not claim a 502 was retried' {
        Connect-TestEmulator $Emulator -MaxRetries 0
        try {
            Add-EmulatorFault $Emulator @{ kind = 'HtmlBody'; statusCode = 502; remaining = -1 }
            Get-PineconeRestoreJob 'x' -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures | Should -HaveCount 1
            "$($failures[0]) $($failures[0].ErrorDetails.RecommendedAction)" | Should -Not -Match 'was retried'
            @(Get-EmulatorRequest $Emulator) | Should -HaveCount 1
        }
        finally {
            Connect-TestEmulator $Emulator
        }
    }

    It 'says once why a connection was refused' {
        # A port bound but not listening refuses connections, and no one else can take it meanwhile.
        $socket = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        try {
            $socket.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
            Connect-Pinecone -ApiKey $Emulator.ApiKey -ControllerHost "http://127.0.0.1:$($socket.LocalEndPoint.Port)" -MaxRetries 0
            $message = ({ Get-PineconeRestoreJob -First 1 } | Should -Throw -ErrorId 'ConnectionFailed,*' -PassThru).Exception.Message
            $message | Should -Match 'refused'
            [regex]::Matches($message, 'refused', 'IgnoreCase').Count | Should -Be 1 -Because $message
        }
        finally {
            $socket.Dispose()
            Connect-TestEmulator $Emulator
        }
    }

    It 'names a malformed answer in one sentence' {
        Add-EmulatorFault $Emulator @{ kind = 'MalformedSuccess'; remaining = 1 }
        $message = ({ Get-PineconeRestoreJob } | Should -Throw -ErrorId 'InvalidResponse,*' -PassThru).Exception.Message
        $message | Should -Match 'not the expected JSON'
        $message | Should -Not -Match '\.\.'
    }
}
