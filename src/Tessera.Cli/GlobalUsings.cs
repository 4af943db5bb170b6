global using Tessera;
global using Tessera.Connection;
