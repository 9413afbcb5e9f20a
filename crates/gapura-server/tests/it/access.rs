//! Every route × every role × own and other scope.
