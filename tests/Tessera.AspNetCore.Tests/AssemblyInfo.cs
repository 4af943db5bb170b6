// One test class at a time: HttpClientTests counts SslStream handshakes process-wide (the System.Net.Security event
// source cannot tell one test's connections from another's), and most other classes here use SslStream clients.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
