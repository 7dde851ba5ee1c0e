# Runs inside real pwsh (pwsh -NoProfile -File) and inside the hosted engine alike, and times itself with a Stopwatch,
# so process start-up is never counted. The connection comes from PINECONE_API_KEY / PINECONE_CONTROLLER_HOST.
# Output: one "name value" line per figure (invariant culture), parsed by the benchmark program.
# Only core cmdlets here (the hosted engine has System.Management.Automation alone), except in the 'first' mode.
param(
    [Parameter(Mandatory)] [string] $Mode,
    [Parameter(Mandatory)] [string] $Manifest,
    [int] $Runs = 5,
    [int] $Warmup = 1,
    [int] $Expected = 0,
    [string] $IdsFile,
    [int] $ThrottleLimit = 0
)
$ErrorActionPreference = 'Stop'

$sw = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $Manifest
$sw.Stop()
"import $($sw.Elapsed.TotalMilliseconds)"
"module $([PineconeRestore.Commands.GetPineconeRestoreJobCommand].Assembly.Location)"
"throttle $((Get-Command Get-PineconeRestoreJob).Parameters.ContainsKey('ThrottleLimit'))"

# Before every run: a full collection, then the pause the program sets for every client alike (PINECONE_BENCH_PAUSE_MS),
# so the JIT's background tier-up and the GC's background work finish between runs, not inside the next one.
$pauseMs = [int]$env:PINECONE_BENCH_PAUSE_MS
function Collect {
    [System.GC]::Collect(); [System.GC]::WaitForPendingFinalizers(); [System.GC]::Collect()
    if ($pauseMs -gt 0) { [System.Threading.Thread]::Sleep($pauseMs) }
}

switch ($Mode) {
    'probe' { }
    'list' {
        for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
            Collect
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $jobs = Get-PineconeRestoreJob
            $sw.Stop()
            if ($jobs.Count -ne $Expected) { throw "Listed $($jobs.Count) jobs, expected $Expected." }
            if ($i -ge $Warmup) { "run $($sw.Elapsed.TotalMilliseconds)" } else { "warm $($sw.Elapsed.TotalMilliseconds)" }
            $jobs = $null
        }
    }
    'first' {
        # Select-Object stops the cmdlet once the first job reaches it: the time is the first page's and one object's.
        for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
            Collect
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $first = Get-PineconeRestoreJob | Select-Object -First 1
            $sw.Stop()
            if ($null -eq $first.RestoreJobId) { throw 'No first job.' }
            if ($i -ge $Warmup) { "run $($sw.Elapsed.TotalMilliseconds)" }
        }
    }
    'firstparam' {
        for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
            Collect
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $first = Get-PineconeRestoreJob -First 1
            $sw.Stop()
            if ($null -eq $first.RestoreJobId) { throw 'No first job.' }
            if ($i -ge $Warmup) { "run $($sw.Elapsed.TotalMilliseconds)" }
        }
    }
    'alloc' {
        # Warm up on a small listing (JIT, connection), then measure one whole listing whose objects go to $null.
        $null = Get-PineconeRestoreJob -First 150
        Collect
        $before = [System.GC]::GetTotalAllocatedBytes($true)
        $null = Get-PineconeRestoreJob
        $after = [System.GC]::GetTotalAllocatedBytes($true)
        "alloc $($after - $before)"
        "peakws $([System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64)"
    }
    'firstcall' {
        # Start-up: the first call in a fresh session right after the import, then the same call again.
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $first = Get-PineconeRestoreJob -First 1
        $sw.Stop()
        "firstcall $($sw.Elapsed.TotalMilliseconds)"
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $first = Get-PineconeRestoreJob -First 1
        $sw.Stop()
        "secondcall $($sw.Elapsed.TotalMilliseconds)"
    }
    'describe' {
        $ids = [System.IO.File]::ReadAllLines($IdsFile)
        $extra = @{}
        if ($ThrottleLimit -gt 0) { $extra['ThrottleLimit'] = $ThrottleLimit }
        for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
            # The warm-up describes a few ids only: at 5 ms each, a whole extra round would cost seconds.
            $these = if ($i -lt $Warmup) { $ids[0..([Math]::Min(49, $ids.Count - 1))] } else { $ids }
            Collect
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $jobs = $these | Get-PineconeRestoreJob @extra
            $sw.Stop()
            if ($jobs.Count -ne $these.Count) { throw "Described $($jobs.Count) jobs, expected $($these.Count)." }
            if ($jobs[0].RestoreJobId -ne $these[0] -or $jobs[-1].RestoreJobId -ne $these[-1]) { throw 'Output is not in input order.' }
            if ($i -ge $Warmup) { "run $($sw.Elapsed.TotalMilliseconds)" }
            $jobs = $null
        }
    }
    default { throw "Unknown mode $Mode." }
}
