#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5 tests of Wait-PineconeRestoreJob, Get-PineconeRestoreJob -ThrottleLimit and -RestoreJobId completion in a
# real pwsh: the user stories WaitRestoreJobTests, DescribeRestoreJobTests and CompletionTests prove in the hosted engine.
# Jobs "progress" through the emulator's fault rules: a job stored as finished is served as Pending for its first
# polls (a CustomBody rule that runs out), so the order jobs finish in is set by poll counts, not by a clock.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # The staged build folder when common.ps1 names it; otherwise the installed package, found on PSModulePath.
    if (Get-Variable ModuleManifest -Scope Script -ErrorAction Ignore) { Import-Module $ModuleManifest -Force }
    $script:Emulator = Start-TestEmulator
    Connect-Pinecone -ApiKey $Emulator.ApiKey -ControllerHost $Emulator.Url

    function script:Invoke-Admin([string] $Method, [string] $Path, $Body) {
        $request = @{ Method = $Method; Uri = "$($Emulator.Url)_emulator/$Path" }
        if ($PSBoundParameters.ContainsKey('Body')) { $request.Body = ConvertTo-Json -InputObject $Body -Depth 5; $request.ContentType = 'application/json' }
        $null = Invoke-RestMethod @request
    }

    function script:Job([string] $Id, [string] $Status) {
        [ordered]@{
            restoreJobId = $Id; backupId = "bk-$Id"; targetIndexName = "index-$Id"; targetIndexId = "idx-$Id"
            status = $Status; createdAt = '2025-06-01T11:00:00Z'
        }
    }

    # A job that ends with $FinalStatus after $PendingPolls describes that answer Pending.
    function script:Add-TestJob([string] $Id, [int] $PendingPolls, [string] $FinalStatus = 'Completed') {
        Invoke-Admin Post jobs (Job $Id $FinalStatus)
        if ($PendingPolls -gt 0) {
            $wire = @{ restore_job_id = $Id; backup_id = "bk-$Id"; target_index_name = "index-$Id"; target_index_id = "idx-$Id"; status = 'Pending'; created_at = '2025-06-01T11:00:00Z' }
            Add-EmulatorFault $Emulator @{ kind = 'CustomBody'; statusCode = 200; pathPrefix = "/restore-jobs/$Id"; remaining = $PendingPolls; body = ($wire | ConvertTo-Json -Compress) }
        }
    }

    function script:Described {
        @(Get-EmulatorRequest $Emulator) | ForEach-Object { $_ } | Where-Object Path -like '/restore-jobs/*' | ForEach-Object { $_.Path.Substring('/restore-jobs/'.Length) }
    }
}

AfterAll {
    Disconnect-Pinecone
    Stop-TestEmulator $Emulator
}

Describe 'Wait-PineconeRestoreJob' {
    BeforeEach {
        Reset-Emulator $Emulator
        Invoke-Admin Delete jobs
    }

    It 'waits for several jobs in one loop and writes them in finishing order' {
        Add-TestJob 'slow-job' -PendingPolls 4
        Add-TestJob 'fast-job' -PendingPolls 1
        Add-TestJob 'middle-job' -PendingPolls 2

        $jobs = 'slow-job', 'fast-job', 'middle-job' | Wait-PineconeRestoreJob -PollingIntervalSeconds 0.1

        $jobs.RestoreJobId | Should -Be 'fast-job', 'middle-job', 'slow-job'
        $jobs | ForEach-Object { $_ | Should -BeOfType ([PineconeRestore.RestoreJob]); $_.Status | Should -Be 'Completed' }
        # Interleaved polls: all three were polled before the first one finished.
        (Described | Select-Object -First 3 | Sort-Object) | Should -Be 'fast-job', 'middle-job', 'slow-job'
    }

    It 'waits for what Get-PineconeRestoreJob | Where-Object Status -eq Pending sends it' {
        Add-TestJob 'a-job' -PendingPolls 0 -FinalStatus 'Pending'
        Invoke-Admin Post jobs (Job 'b-job' 'Completed')
        $wire = @{ restore_job_id = 'a-job'; backup_id = 'bk-a-job'; target_index_name = 'index-a-job'; target_index_id = 'idx-a-job'; status = 'Completed'; percent_complete = 100; created_at = '2025-06-01T11:00:00Z'; completed_at = '2025-06-01T11:30:00Z' }
        # The list shows a-job Pending; its second describe (the wait's second poll) says Completed.
        Add-EmulatorFault $Emulator @{ kind = 'CustomBody'; statusCode = 200; pathPrefix = '/restore-jobs/a-job'; skipFirst = 1; remaining = -1; body = ($wire | ConvertTo-Json -Compress) }

        $jobs = Get-PineconeRestoreJob | Where-Object Status -eq Pending | Wait-PineconeRestoreJob -PollingIntervalSeconds 0.1

        $jobs.RestoreJobId | Should -Be 'a-job'
        $jobs.Status | Should -Be 'Completed'
        Described | Should -Not -Contain 'b-job'
    }

    It 'gives a WaitTimeout error with the job as TargetObject for each job still running at -Timeout' {
        Add-TestJob 'done-job' -PendingPolls 0
        Add-TestJob 'stuck-job' -PendingPolls 1000

        $jobs = Wait-PineconeRestoreJob 'stuck-job', 'done-job' -PollingIntervalSeconds 600 -Timeout 1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $jobs.RestoreJobId | Should -Be 'done-job'
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'WaitTimeout,PineconeRestore.Commands.WaitPineconeRestoreJobCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failures[0].TargetObject.RestoreJobId | Should -Be 'stuck-job'
        $failures[0].TargetObject.Status | Should -Be 'Pending'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match '-Timeout'
    }

    It 'writes a Failed job and a RestoreJobFailed error that -ErrorAction Stop stops on' {
        Add-TestJob 'failing-job' -PendingPolls 1 -FinalStatus 'Failed'

        $job = Wait-PineconeRestoreJob 'failing-job' -PollingIntervalSeconds 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $job.Status | Should -Be 'Failed'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RestoreJobFailed,*'
        $failures[0].TargetObject.RestoreJobId | Should -Be 'failing-job'
        $failures[0].Exception | Should -BeOfType ([PineconeRestore.PineconeOperationFailedException])
        { Wait-PineconeRestoreJob 'failing-job' -ErrorAction Stop } | Should -Throw -ErrorId 'RestoreJobFailed,PineconeRestore.Commands.WaitPineconeRestoreJobCommand'
    }

    It 'writes a Cancelled job and a RestoreJobCancelled error' {
        Add-TestJob 'cancelled-job' -PendingPolls 0 -FinalStatus 'Cancelled'

        $null = Wait-PineconeRestoreJob 'cancelled-job' -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RestoreJobCancelled,*'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationStopped'
    }

    It 'reports an id never seen as NOT_FOUND and still waits for the others' {
        Add-TestJob 'real-job' -PendingPolls 1

        $jobs = Wait-PineconeRestoreJob 'no-such-job', 'real-job' -PollingIntervalSeconds 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $jobs.RestoreJobId | Should -Be 'real-job'
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NOT_FOUND,*'
        $failures[0].TargetObject | Should -Be 'no-such-job'
    }

    It 'survives a transient 404 for a piped job and says so on the Verbose stream' {
        Add-TestJob 'blip-job' -PendingPolls 0
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 404; errorCode = 'NOT_FOUND'; pathPrefix = '/restore-jobs/blip-job'; skipFirst = 1; remaining = 1 }

        $output = Get-PineconeRestoreJob 'blip-job' | Wait-PineconeRestoreJob -PollingIntervalSeconds 0.1 -Verbose 4>&1
        $verbose = $output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        ($output | Where-Object { $_ -is [PineconeRestore.RestoreJob] }).Status | Should -Be 'Completed'
        @($verbose.Message -like 'Restore job blip-job answered 404 NOT_FOUND, but it was seen before*') | Should -HaveCount 1
    }

    It 'rejects a polling interval under 0.1 s before any request' {
        { Wait-PineconeRestoreJob 'a' -PollingIntervalSeconds 0.05 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PineconeRestore.Commands.WaitPineconeRestoreJobCommand'
        Described | Should -BeNullOrEmpty
    }

    It 'has help with examples' {
        $help = Get-Help Wait-PineconeRestoreJob -Full
        $help.Synopsis | Should -Match 'Waits for restore jobs'
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'Get-PineconeRestoreJob -ThrottleLimit' {
    BeforeEach { Reset-Emulator $Emulator }

    It 'writes the jobs in input order with the error of a bad id in its place' {
        $ids = (Get-PineconeRestoreJob -First 6).RestoreJobId
        Add-EmulatorFault $Emulator @{ kind = 'Latency'; latencyMs = 300; pathPrefix = "/restore-jobs/$($ids[1])" }
        $in = @($ids[0..2]) + 'no-such-job' + @($ids[3..5])

        $seen = $in | Get-PineconeRestoreJob -ThrottleLimit 4 2>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) { "error:$($_.TargetObject)" } else { $_.RestoreJobId }
        }

        $seen | Should -Be (@($ids[0..2]) + 'error:no-such-job' + @($ids[3..5]))
    }
}

Describe 'Tab completion of -RestoreJobId' {
    BeforeEach { Reset-Emulator $Emulator }

    It 'completes <Line> to the job whose id starts with what was typed, naming index and status' -ForEach @(
        @{ Line = 'Get-PineconeRestoreJob -RestoreJobId 7a' }
        @{ Line = 'Wait-PineconeRestoreJob 7a' }
    ) {
        $found = (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches

        $found | Should -HaveCount 1
        $found[0].CompletionText | Should -Be '7a3f9c2e-5b1d-4e8a-9f6c-0d2b4e6a8c01'
        $found[0].ToolTip | Should -Match 'products-restore'
        $found[0].ToolTip | Should -Match 'Completed'
        @(Get-EmulatorRequest $Emulator) | ForEach-Object { $_ } | Should -HaveCount 1
    }

    It 'completes nothing, without an error, when the API fails' {
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 500; remaining = -1 }
        $line = 'Get-PineconeRestoreJob -RestoreJobId 7a'

        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length -ErrorVariable failures

        $result.CompletionMatches | Should -HaveCount 0
        $failures | Should -HaveCount 0
    }
}
