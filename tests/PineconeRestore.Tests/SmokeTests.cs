using System.Management.Automation;
using System.Management.Automation.Runspaces;
public class SmokeTests {
  [Fact] public void Engine() {
    using var ps = PowerShell.Create(InitialSessionState.CreateDefault2());
    ps.AddScript("$PSVersionTable.PSVersion.ToString()");
    var r = ps.Invoke();
    Assert.StartsWith("7.6", r[0].ToString());
  }
}
