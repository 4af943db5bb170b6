global using Tessera.Diagnostics;
