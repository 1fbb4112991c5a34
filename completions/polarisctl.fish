function __polarisctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __polarisctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __polarisctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __polarisctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __polarisctl_parse_tokens -S
    set -l unparsed_tokens (__polarisctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'polarisctl'
        __polarisctl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'call'
            __polarisctl_parse_subcommand 2 'd/data=' 'plaintext' 'insecure' 'cacert=' 'cert=' 'key=' 'servername=' 'authority=' 'H/header=+' 'rpc-header=+' 'no-cache' 'reflect-header=+' 'connect-timeout=' 'max-time=' 'keepalive-time=' 'max-msg-sz=' 'gzip' 'registry=' 'registry-token=' 'lb=' 'hash-key=' 'proto=+' 'I/import-path=+' 'protoset=+' 'codec=' 'format=' 'emit-defaults' 'use-proto-names' 'enums-as-numbers' 'send-interval=' 'half-close=' 'max-messages=' 'timestamps' 'envelope' 'use-reflection=' 'allow-unknown-fields' 'v/verbose' 'format-error' 'o/output=' 'version' 'h/help'
        case 'stream'
            __polarisctl_parse_subcommand 2 'd/data=' 'plaintext' 'insecure' 'cacert=' 'cert=' 'key=' 'servername=' 'authority=' 'H/header=+' 'rpc-header=+' 'no-cache' 'reflect-header=+' 'connect-timeout=' 'max-time=' 'keepalive-time=' 'max-msg-sz=' 'gzip' 'registry=' 'registry-token=' 'lb=' 'hash-key=' 'proto=+' 'I/import-path=+' 'protoset=+' 'codec=' 'format=' 'emit-defaults' 'use-proto-names' 'enums-as-numbers' 'send-interval=' 'half-close=' 'max-messages=' 'timestamps' 'envelope' 'use-reflection=' 'allow-unknown-fields' 'v/verbose' 'format-error' 'o/output=' 'version' 'h/help'
        case 'list'
            __polarisctl_parse_subcommand -r 1 'proto=+' 'I/import-path=+' 'protoset=+' 'codec=' 'plaintext' 'insecure' 'cacert=' 'cert=' 'key=' 'servername=' 'authority=' 'H/header=+' 'rpc-header=+' 'no-cache' 'reflect-header=+' 'connect-timeout=' 'max-time=' 'keepalive-time=' 'max-msg-sz=' 'gzip' 'registry=' 'registry-token=' 'lb=' 'hash-key=' 'l/long' 'format=' 'protoset-out=' 'version' 'h/help'
        case 'describe'
            __polarisctl_parse_subcommand -r 1 'proto=+' 'I/import-path=+' 'protoset=+' 'codec=' 'plaintext' 'insecure' 'cacert=' 'cert=' 'key=' 'servername=' 'authority=' 'H/header=+' 'rpc-header=+' 'no-cache' 'reflect-header=+' 'connect-timeout=' 'max-time=' 'keepalive-time=' 'max-msg-sz=' 'gzip' 'registry=' 'registry-token=' 'lb=' 'hash-key=' 'protoset-out=' 'version' 'h/help'
        case 'serve'
            __polarisctl_parse_subcommand 0 'proto=+' 'I/import-path=+' 'protoset=+' 'codec=' 'registry' 'data-dir=' 'token=' 'register=' 'registry-address=' 'register-namespace=' 'register-host=' 'register-weight=' 'register-metadata=+' 'register-ttl=' 'listen=' 'stubs=+' 'default=' 'watch' 'journal=' 'journal-size=' 'tls-cert=' 'tls-key=' 'client-ca=' 'grace=' 'keepalive-min-time=' 'keepalive-permit-without-calls' 'version' 'h/help'
        case 'register'
            __polarisctl_parse_subcommand 1 'registry=' 'token=' 'namespace=' 'host=' 'port=' 'weight=' 'priority=' 'version=' 'protocol=' 'metadata=+' 'ttl=' 'isolate' 'once' 'deregister' 'version' 'h/help'
        case 'discover'
            __polarisctl_parse_subcommand 1 'registry=' 'token=' 'namespace=' 'services' 'healthy-only' 'format=' 'watch' 'interval=' 'version' 'h/help'
        case 'encode'
            __polarisctl_parse_subcommand 1 'proto=+' 'I/import-path=+' 'protoset=+' 'codec=' 'd/data=' 'hex' 'base64' 'allow-unknown-fields' 'o/output=' 'version' 'h/help'
        case 'decode'
            __polarisctl_parse_subcommand 1 'proto=+' 'I/import-path=+' 'protoset=+' 'codec=' 'format=' 'emit-defaults' 'use-proto-names' 'enums-as-numbers' 'd/data=' 'hex' 'base64' 'o/output=' 'version' 'h/help'
        case 'bench'
            __polarisctl_parse_subcommand 2 'd/data=' 'c/concurrency=' 'connections=' 'n/total=' 'z/duration=' 'r/rate=' 'warmup=' 'load-schedule=' 'load-start=' 'load-end=' 'load-step=' 'load-step-duration=' 'concurrency-schedule=' 'concurrency-start=' 'concurrency-end=' 'concurrency-step=' 'concurrency-step-duration=' 'max-pending=' 'interval=' 'drain=' 'seed=' 'stream-messages=' 'stream-interval=' 'format=' 'o/output=' 'slo=' 'allow-errors' 'no-progress' 'plaintext' 'insecure' 'cacert=' 'cert=' 'key=' 'servername=' 'authority=' 'H/header=+' 'rpc-header=+' 'no-cache' 'reflect-header=+' 'connect-timeout=' 'max-time=' 'keepalive-time=' 'max-msg-sz=' 'gzip' 'registry=' 'registry-token=' 'lb=' 'hash-key=' 'proto=+' 'I/import-path=+' 'protoset=+' 'codec=' 'use-reflection=' 'version' 'h/help'
        case 'certs'
            __polarisctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'init'
                __polarisctl_parse_subcommand 0 'out=' 'cn=' 'days=' 'path-length=' 'intermediate' 'ca=' 'key=' 'not-before=' 'encrypt-key' 'passphrase-file=' 'force' 'version' 'h/help'
            case 'issue'
                __polarisctl_parse_subcommand 0 'version' 'h/help'
                switch $unparsed_tokens[1]
                case 'server'
                    __polarisctl_parse_subcommand 0 'hosts=' 'name=' 'cn=' 'ca=' 'out=' 'days=' 'key=' 'not-before=' 'encrypt-key' 'passphrase-file=' 'force' 'version' 'h/help'
                case 'client'
                    __polarisctl_parse_subcommand 0 'cn=' 'name=' 'ca=' 'out=' 'days=' 'key=' 'not-before=' 'encrypt-key' 'passphrase-file=' 'force' 'version' 'h/help'
                end
            case 'quick'
                __polarisctl_parse_subcommand 0 'hosts=' 'out=' 'cn=' 'client-cn=' 'days=' 'key=' 'not-before=' 'encrypt-key' 'passphrase-file=' 'force' 'version' 'h/help'
            case 'inspect'
                __polarisctl_parse_subcommand -r 1 'verify' 'ca=' 'host=' 'passphrase-file=' 'format=' 'version' 'h/help'
            end
        case 'cache'
            __polarisctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'path'
                __polarisctl_parse_subcommand 0 'version' 'h/help'
            case 'clear'
                __polarisctl_parse_subcommand 0 'version' 'h/help'
            end
        case 'exit-codes'
            __polarisctl_parse_subcommand 0 'version' 'h/help'
        case 'completion'
            __polarisctl_parse_subcommand 1 'version' 'h/help'
        case 'help'
            __polarisctl_parse_subcommand -r 1 'version'
        end
    end
end

function __polarisctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __polarisctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __polarisctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __polarisctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__polarisctl_tokens -p)
    if test -z "$(__polarisctl_tokens -t)"
        set -l index (count (__polarisctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'polarisctl' -f
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'call' -d 'Call a gRPC method with JSON in and out.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'stream' -d 'Client, server and bidirectional streaming with NDJSON in and out.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'list' -d 'List services, or the methods of a service.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'describe' -d 'Show a service, method, message or enum as proto source.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'serve' -d 'Serve mock services from any schema (stubs, fake data, reflection, health) and/or an embedded Polaris registry.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'register' -d 'Register a service instance in a Polaris registry and keep it alive.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'discover' -d 'Show the instances of a service in a Polaris registry, or watch them change.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'encode' -d 'Encode a JSON message as protobuf binary.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'decode' -d 'Decode a protobuf binary message to JSON.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'bench' -d 'Load-test a gRPC method with HDR latency histograms.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'certs' -d 'Make a CA, server and client certificates for (mutual) TLS, and inspect certificates.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'cache' -d 'Show or clear the cache of schemas fetched by server reflection.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'exit-codes' -d 'Print the table of exit codes.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'completion' -d 'Print the shell completion script for bash, zsh or fish.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl call" -eq 1' -fka '(__polarisctl_custom_completion ---completion call -- positional@0 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl call" -eq 2' -fka '(__polarisctl_custom_completion ---completion call -- positional@1 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" d data' -s 'd' -l 'data' -d 'Request JSON: text, @file, or @- for stdin; several values for client and bidi streams; default: {}.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" plaintext' -l 'plaintext' -d 'Use plaintext HTTP/2 (h2c) instead of TLS; default: TLS (an http:// address also means plaintext).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" insecure' -l 'insecure' -d 'Accept any server certificate (TLS without verification); default: verify.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" cacert' -l 'cacert' -d 'PEM file of CA certificates to trust; default: the system\'s.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" cert' -l 'cert' -d 'Client certificate (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" key' -l 'key' -d 'Client private key (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" servername' -l 'servername' -d 'Name to verify the server certificate against (and send as SNI); default: the host.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" authority' -l 'authority' -d 'Value of the :authority header; default: the address.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call"' -s 'H' -l 'header' -d 'Metadata \'name: value\' for the RPC and for reflection (repeatable); -bin names take base64.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call"' -l 'rpc-header' -d 'Metadata for the RPC only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" no-cache' -l 'no-cache' -d 'Fetch the schema by reflection even when the reflection cache holds it; default: use the cache while the server lists the same services.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call"' -l 'reflect-header' -d 'Metadata for reflection calls only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" connect-timeout' -l 'connect-timeout' -d 'Seconds to wait for the connection (TCP, TLS, HTTP/2); default: 10.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" max-time' -l 'max-time' -d 'Deadline of the whole call in seconds, sent as grpc-timeout; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" keepalive-time' -l 'keepalive-time' -d 'Seconds between keepalive PINGs; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" max-msg-sz' -l 'max-msg-sz' -d 'Largest message to receive or send, in bytes; default: 4194304.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" gzip' -l 'gzip' -d 'Compress requests with gzip; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" registry' -l 'registry' -d 'Polaris registry that resolves polaris://[namespace/]service addresses; default: 127.0.0.1:8091.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" registry-token' -l 'registry-token' -d 'Token for the registry (x-polaris-token); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" lb' -l 'lb' -d 'How a polaris:// address picks an instance: weighted-random, round-robin or ring-hash; default: weighted-random.' -rfka 'weighted-random round-robin ring-hash'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" hash-key' -l 'hash-key' -d 'The key ring-hash places on the ring (same key, same instance); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call"' -l 'proto' -d 'A .proto file to load (repeatable); default: none.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'proto\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call"' -s 'I' -l 'import-path' -d 'A directory to search for .proto imports (repeatable); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call"' -l 'protoset' -d 'A FileDescriptorSet file to load (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" codec' -l 'codec' -d 'The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.' -rfka 'native libprotobuf'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" format' -l 'format' -d 'Output format: json (pretty), ndjson (compact, one per line) or text (protobuf text format); default: json on a terminal, ndjson when piped.' -rfka 'json ndjson text'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" emit-defaults' -l 'emit-defaults' -d 'Print fields that hold their default value; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" use-proto-names' -l 'use-proto-names' -d 'Print field names as in the .proto file, not lowerCamelCase; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" enums-as-numbers' -l 'enums-as-numbers' -d 'Print enum values as numbers; default: off (names).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" send-interval' -l 'send-interval' -d 'Pause between request messages, e.g. 100ms, 1.5s; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" half-close' -l 'half-close' -d 'When to close the send side: auto, after-input or never; default: auto (when the input ends).' -rfka 'auto after-input never'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" max-messages' -l 'max-messages' -d 'Stop after this many responses: cancel the call and exit 0; default: no limit.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" timestamps' -l 'timestamps' -d 'Wrap each response with its arrival time and the time since the call started; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" envelope' -l 'envelope' -d 'Print one JSON document per call: response headers, messages, trailers and status; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" use-reflection' -l 'use-reflection' -d 'Fetch the schema by server reflection when no --proto/--protoset is given; default: true.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" allow-unknown-fields' -l 'allow-unknown-fields' -d 'Skip request JSON fields the type does not have; default: reject them.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" v verbose' -s 'v' -l 'verbose' -d 'Print where the schema came from, response headers and trailers to stderr; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" format-error' -l 'format-error' -d 'Print a non-OK status as JSON on stdout; default: one line on stderr.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" o output' -s 'o' -l 'output' -d 'Write responses to this file instead of stdout.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl call" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl stream" -eq 1' -fka '(__polarisctl_custom_completion ---completion stream -- positional@0 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl stream" -eq 2' -fka '(__polarisctl_custom_completion ---completion stream -- positional@1 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" d data' -s 'd' -l 'data' -d 'Request JSON: text, @file, or @- for stdin; several values for client and bidi streams; default: {}.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" plaintext' -l 'plaintext' -d 'Use plaintext HTTP/2 (h2c) instead of TLS; default: TLS (an http:// address also means plaintext).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" insecure' -l 'insecure' -d 'Accept any server certificate (TLS without verification); default: verify.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" cacert' -l 'cacert' -d 'PEM file of CA certificates to trust; default: the system\'s.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" cert' -l 'cert' -d 'Client certificate (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" key' -l 'key' -d 'Client private key (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" servername' -l 'servername' -d 'Name to verify the server certificate against (and send as SNI); default: the host.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" authority' -l 'authority' -d 'Value of the :authority header; default: the address.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream"' -s 'H' -l 'header' -d 'Metadata \'name: value\' for the RPC and for reflection (repeatable); -bin names take base64.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream"' -l 'rpc-header' -d 'Metadata for the RPC only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" no-cache' -l 'no-cache' -d 'Fetch the schema by reflection even when the reflection cache holds it; default: use the cache while the server lists the same services.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream"' -l 'reflect-header' -d 'Metadata for reflection calls only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" connect-timeout' -l 'connect-timeout' -d 'Seconds to wait for the connection (TCP, TLS, HTTP/2); default: 10.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" max-time' -l 'max-time' -d 'Deadline of the whole call in seconds, sent as grpc-timeout; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" keepalive-time' -l 'keepalive-time' -d 'Seconds between keepalive PINGs; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" max-msg-sz' -l 'max-msg-sz' -d 'Largest message to receive or send, in bytes; default: 4194304.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" gzip' -l 'gzip' -d 'Compress requests with gzip; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" registry' -l 'registry' -d 'Polaris registry that resolves polaris://[namespace/]service addresses; default: 127.0.0.1:8091.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" registry-token' -l 'registry-token' -d 'Token for the registry (x-polaris-token); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" lb' -l 'lb' -d 'How a polaris:// address picks an instance: weighted-random, round-robin or ring-hash; default: weighted-random.' -rfka 'weighted-random round-robin ring-hash'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" hash-key' -l 'hash-key' -d 'The key ring-hash places on the ring (same key, same instance); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream"' -l 'proto' -d 'A .proto file to load (repeatable); default: none.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'proto\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream"' -s 'I' -l 'import-path' -d 'A directory to search for .proto imports (repeatable); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream"' -l 'protoset' -d 'A FileDescriptorSet file to load (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" codec' -l 'codec' -d 'The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.' -rfka 'native libprotobuf'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" format' -l 'format' -d 'Output format: json (pretty), ndjson (compact, one per line) or text (protobuf text format); default: json on a terminal, ndjson when piped.' -rfka 'json ndjson text'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" emit-defaults' -l 'emit-defaults' -d 'Print fields that hold their default value; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" use-proto-names' -l 'use-proto-names' -d 'Print field names as in the .proto file, not lowerCamelCase; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" enums-as-numbers' -l 'enums-as-numbers' -d 'Print enum values as numbers; default: off (names).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" send-interval' -l 'send-interval' -d 'Pause between request messages, e.g. 100ms, 1.5s; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" half-close' -l 'half-close' -d 'When to close the send side: auto, after-input or never; default: auto (when the input ends).' -rfka 'auto after-input never'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" max-messages' -l 'max-messages' -d 'Stop after this many responses: cancel the call and exit 0; default: no limit.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" timestamps' -l 'timestamps' -d 'Wrap each response with its arrival time and the time since the call started; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" envelope' -l 'envelope' -d 'Print one JSON document per call: response headers, messages, trailers and status; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" use-reflection' -l 'use-reflection' -d 'Fetch the schema by server reflection when no --proto/--protoset is given; default: true.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" allow-unknown-fields' -l 'allow-unknown-fields' -d 'Skip request JSON fields the type does not have; default: reject them.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" v verbose' -s 'v' -l 'verbose' -d 'Print where the schema came from, response headers and trailers to stderr; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" format-error' -l 'format-error' -d 'Print a non-OK status as JSON on stdout; default: one line on stderr.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" o output' -s 'o' -l 'output' -d 'Write responses to this file instead of stdout.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl stream" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list"' -l 'proto' -d 'A .proto file to load (repeatable); default: none.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'proto\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list"' -s 'I' -l 'import-path' -d 'A directory to search for .proto imports (repeatable); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list"' -l 'protoset' -d 'A FileDescriptorSet file to load (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" codec' -l 'codec' -d 'The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.' -rfka 'native libprotobuf'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" plaintext' -l 'plaintext' -d 'Use plaintext HTTP/2 (h2c) instead of TLS; default: TLS (an http:// address also means plaintext).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" insecure' -l 'insecure' -d 'Accept any server certificate (TLS without verification); default: verify.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" cacert' -l 'cacert' -d 'PEM file of CA certificates to trust; default: the system\'s.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" cert' -l 'cert' -d 'Client certificate (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" key' -l 'key' -d 'Client private key (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" servername' -l 'servername' -d 'Name to verify the server certificate against (and send as SNI); default: the host.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" authority' -l 'authority' -d 'Value of the :authority header; default: the address.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list"' -s 'H' -l 'header' -d 'Metadata \'name: value\' for the RPC and for reflection (repeatable); -bin names take base64.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list"' -l 'rpc-header' -d 'Metadata for the RPC only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" no-cache' -l 'no-cache' -d 'Fetch the schema by reflection even when the reflection cache holds it; default: use the cache while the server lists the same services.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list"' -l 'reflect-header' -d 'Metadata for reflection calls only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" connect-timeout' -l 'connect-timeout' -d 'Seconds to wait for the connection (TCP, TLS, HTTP/2); default: 10.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" max-time' -l 'max-time' -d 'Deadline of the whole call in seconds, sent as grpc-timeout; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" keepalive-time' -l 'keepalive-time' -d 'Seconds between keepalive PINGs; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" max-msg-sz' -l 'max-msg-sz' -d 'Largest message to receive or send, in bytes; default: 4194304.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" gzip' -l 'gzip' -d 'Compress requests with gzip; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" registry' -l 'registry' -d 'Polaris registry that resolves polaris://[namespace/]service addresses; default: 127.0.0.1:8091.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" registry-token' -l 'registry-token' -d 'Token for the registry (x-polaris-token); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" lb' -l 'lb' -d 'How a polaris:// address picks an instance: weighted-random, round-robin or ring-hash; default: weighted-random.' -rfka 'weighted-random round-robin ring-hash'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" hash-key' -l 'hash-key' -d 'The key ring-hash places on the ring (same key, same instance); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl list" -ge 1' -fka '(__polarisctl_custom_completion ---completion list -- positional@0 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" l long' -s 'l' -l 'long' -d 'Show each method\'s kind and message types; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" format' -l 'format' -d 'Output format: text or json; default: text.' -rfka 'text json'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" protoset-out' -l 'protoset-out' -d 'Also write the loaded schema as a protoset to this file.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe"' -l 'proto' -d 'A .proto file to load (repeatable); default: none.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'proto\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe"' -s 'I' -l 'import-path' -d 'A directory to search for .proto imports (repeatable); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe"' -l 'protoset' -d 'A FileDescriptorSet file to load (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" codec' -l 'codec' -d 'The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.' -rfka 'native libprotobuf'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" plaintext' -l 'plaintext' -d 'Use plaintext HTTP/2 (h2c) instead of TLS; default: TLS (an http:// address also means plaintext).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" insecure' -l 'insecure' -d 'Accept any server certificate (TLS without verification); default: verify.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" cacert' -l 'cacert' -d 'PEM file of CA certificates to trust; default: the system\'s.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" cert' -l 'cert' -d 'Client certificate (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" key' -l 'key' -d 'Client private key (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" servername' -l 'servername' -d 'Name to verify the server certificate against (and send as SNI); default: the host.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" authority' -l 'authority' -d 'Value of the :authority header; default: the address.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe"' -s 'H' -l 'header' -d 'Metadata \'name: value\' for the RPC and for reflection (repeatable); -bin names take base64.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe"' -l 'rpc-header' -d 'Metadata for the RPC only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" no-cache' -l 'no-cache' -d 'Fetch the schema by reflection even when the reflection cache holds it; default: use the cache while the server lists the same services.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe"' -l 'reflect-header' -d 'Metadata for reflection calls only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" connect-timeout' -l 'connect-timeout' -d 'Seconds to wait for the connection (TCP, TLS, HTTP/2); default: 10.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" max-time' -l 'max-time' -d 'Deadline of the whole call in seconds, sent as grpc-timeout; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" keepalive-time' -l 'keepalive-time' -d 'Seconds between keepalive PINGs; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" max-msg-sz' -l 'max-msg-sz' -d 'Largest message to receive or send, in bytes; default: 4194304.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" gzip' -l 'gzip' -d 'Compress requests with gzip; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" registry' -l 'registry' -d 'Polaris registry that resolves polaris://[namespace/]service addresses; default: 127.0.0.1:8091.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" registry-token' -l 'registry-token' -d 'Token for the registry (x-polaris-token); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" lb' -l 'lb' -d 'How a polaris:// address picks an instance: weighted-random, round-robin or ring-hash; default: weighted-random.' -rfka 'weighted-random round-robin ring-hash'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" hash-key' -l 'hash-key' -d 'The key ring-hash places on the ring (same key, same instance); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl describe" -ge 1' -fka '(__polarisctl_custom_completion ---completion describe -- positional@0 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" protoset-out' -l 'protoset-out' -d 'Also write the files defining the symbols, with their imports, as a protoset.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl describe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve"' -l 'proto' -d 'A .proto file to load (repeatable); default: none.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'proto\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve"' -s 'I' -l 'import-path' -d 'A directory to search for .proto imports (repeatable); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve"' -l 'protoset' -d 'A FileDescriptorSet file to load (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" codec' -l 'codec' -d 'The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.' -rfka 'native libprotobuf'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" registry' -l 'registry' -d 'Run the embedded Polaris naming registry (v1.PolarisGRPC) in this server; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" data-dir' -l 'data-dir' -d 'Directory of the registry\'s durable state; default: ~/.local/share/polarisctl/registry.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" token' -l 'token' -d 'Token the embedded registry requires on writes, and sent by --register; default: none (no auth).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" register' -l 'register' -d 'Register this server in a registry under SERVICE, heartbeat, deregister on exit; default: off.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" registry-address' -l 'registry-address' -d 'Registry that --register uses; default: this server with --registry, else 127.0.0.1:8091.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" register-namespace' -l 'register-namespace' -d 'Namespace for --register; default: default.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" register-host' -l 'register-host' -d 'Host to register; default: the listen host.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" register-weight' -l 'register-weight' -d 'Weight to register (0-65535); default: 100.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve"' -l 'register-metadata' -d 'Metadata k=v to register (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" register-ttl' -l 'register-ttl' -d 'Heartbeat TTL in seconds for --register (1-60); default: 5.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" listen' -l 'listen' -d 'Where to listen: host:port or unix:/path; default: 127.0.0.1:50051 (127.0.0.1:8091 for --registry alone).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve"' -l 'stubs' -d 'A stub file (JSON or YAML) or a directory of them (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" default' -l 'default' -d 'The answer when no stub matches: fake, empty or unimplemented; default: fake.' -rfka 'fake empty unimplemented'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" watch' -l 'watch' -d 'Reload the stub files when they change, keeping the old stubs if the new ones are invalid; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" journal' -l 'journal' -d 'Append every call to this file as NDJSON; default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" journal-size' -l 'journal-size' -d 'How many calls the admin service keeps for ReadJournal (0 records none); default: 1000.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" tls-cert' -l 'tls-cert' -d 'Serve TLS with this certificate chain (PEM); default: plaintext.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" tls-key' -l 'tls-key' -d 'The private key (PEM) of --tls-cert; default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" client-ca' -l 'client-ca' -d 'Require client certificates signed by this CA (PEM); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" grace' -l 'grace' -d 'How long to let calls in flight finish on SIGINT/SIGTERM, in seconds; default: 5.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" keepalive-min-time' -l 'keepalive-min-time' -d 'The shortest interval between a client\'s keepalive PINGs; PINGs more often (3 strikes) get GOAWAY ENHANCE_YOUR_CALM "too_many_pings", as from gRPC servers; 0 accepts every PING; default: 5m.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" keepalive-permit-without-calls' -l 'keepalive-permit-without-calls' -d 'Hold PINGs while no call is open to --keepalive-min-time too (gRPC servers otherwise allow one per 2 hours); default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" registry' -l 'registry' -d 'Polaris naming server (host:port); default: 127.0.0.1:8091.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" token' -l 'token' -d 'Token for a registry with auth on, sent as x-polaris-token and service token; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" namespace' -l 'namespace' -d 'Polaris namespace; default: default.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" host' -l 'host' -d 'The instance\'s host or IP address.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" port' -l 'port' -d 'The instance\'s port (1-65535).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" weight' -l 'weight' -d 'Load-balancing weight (0-65535; 0 takes no traffic); default: 100.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" priority' -l 'priority' -d 'Priority (0-9); default: 0.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" version' -l 'version' -d 'The instance\'s version; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" protocol' -l 'protocol' -d 'The instance\'s protocol; default: grpc.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register"' -l 'metadata' -d 'Metadata key=value (repeatable; at most 64, key 128 and value 4096 characters).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" ttl' -l 'ttl' -d 'Heartbeat TTL in seconds (1-60); unhealthy after 3 missed; default: 5.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" isolate' -l 'isolate' -d 'Register the instance isolated (it takes no traffic); default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" once' -l 'once' -d 'Register and exit, without heartbeats; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" deregister' -l 'deregister' -d 'Remove the instance instead of registering it.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl register" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" registry' -l 'registry' -d 'Polaris naming server (host:port); default: 127.0.0.1:8091.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" token' -l 'token' -d 'Token for a registry with auth on, sent as x-polaris-token and service token; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" namespace' -l 'namespace' -d 'Polaris namespace; default: default.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl discover" -eq 1' -fka '(__polarisctl_custom_completion ---completion discover -- positional@0 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" services' -l 'services' -d 'List the services of the namespace instead.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" healthy-only' -l 'healthy-only' -d 'Show only healthy instances; default: all.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" format' -l 'format' -d 'Output: table, json or ndjson; default: table.' -rfka 'table json ndjson'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" watch' -l 'watch' -d 'Keep watching and print changes; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" interval' -l 'interval' -d 'Seconds between --watch refreshes; default: 2.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl discover" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode"' -l 'proto' -d 'A .proto file to load (repeatable); default: none.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'proto\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode"' -s 'I' -l 'import-path' -d 'A directory to search for .proto imports (repeatable); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode"' -l 'protoset' -d 'A FileDescriptorSet file to load (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode" codec' -l 'codec' -d 'The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.' -rfka 'native libprotobuf'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl encode" -eq 1' -fka '(__polarisctl_custom_completion ---completion encode -- positional@0 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode" d data' -s 'd' -l 'data' -d 'The JSON message: text, @file, or @- for stdin; default: stdin.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode" hex' -l 'hex' -d 'Write hexadecimal text instead of binary; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode" base64' -l 'base64' -d 'Write base64 text instead of binary; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode" allow-unknown-fields' -l 'allow-unknown-fields' -d 'Skip JSON fields the type does not have; default: reject them.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode" o output' -s 'o' -l 'output' -d 'Write to this file instead of stdout.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl encode" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode"' -l 'proto' -d 'A .proto file to load (repeatable); default: none.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'proto\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode"' -s 'I' -l 'import-path' -d 'A directory to search for .proto imports (repeatable); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode"' -l 'protoset' -d 'A FileDescriptorSet file to load (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" codec' -l 'codec' -d 'The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.' -rfka 'native libprotobuf'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" format' -l 'format' -d 'Output format: json (pretty), ndjson (compact, one per line) or text (protobuf text format); default: json on a terminal, ndjson when piped.' -rfka 'json ndjson text'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" emit-defaults' -l 'emit-defaults' -d 'Print fields that hold their default value; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" use-proto-names' -l 'use-proto-names' -d 'Print field names as in the .proto file, not lowerCamelCase; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" enums-as-numbers' -l 'enums-as-numbers' -d 'Print enum values as numbers; default: off (names).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl decode" -eq 1' -fka '(__polarisctl_custom_completion ---completion decode -- positional@0 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" d data' -s 'd' -l 'data' -d 'The binary message: @file or @- for stdin (with --hex or --base64 also text); default: stdin.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" hex' -l 'hex' -d 'The input is hexadecimal text; default: raw binary.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" base64' -l 'base64' -d 'The input is base64 text; default: raw binary.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" o output' -s 'o' -l 'output' -d 'Write to this file instead of stdout.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl decode" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl bench" -eq 1' -fka '(__polarisctl_custom_completion ---completion bench -- positional@0 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl bench" -eq 2' -fka '(__polarisctl_custom_completion ---completion bench -- positional@1 (count (__polarisctl_tokens -pc)) (__polarisctl_tokens -tC))'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" d data' -s 'd' -l 'data' -d 'Request JSON (may hold templates): text, @file (several messages: used in turn); default: {}.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" c concurrency' -s 'c' -l 'concurrency' -d 'Closed loop: calls in flight at once; default: 50.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" connections' -l 'connections' -d 'HTTP/2 connections to spread the load over; default: one per CPU core or per instance of a polaris:// address, whichever is more (at most -c).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" n total' -s 'n' -l 'total' -d 'Measured calls to make; default: 1000 when -z is not given. With -z: stops at whichever comes first.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" duration z' -s 'z' -l 'duration' -d 'Measure for this long (e.g. 30s, 2m, 500ms); with -n: stops at whichever comes first.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" r rate' -s 'r' -l 'rate' -d 'Open loop: send this many calls per second whatever the responses (-c is then ignored); latency counts from each call\'s intended send time.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" warmup' -l 'warmup' -d 'Load before measurement starts, not reported (e.g. 2s); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" load-schedule' -l 'load-schedule' -d 'Open loop: change the rate by \'step\' or along a \'line\' from --load-start to --load-end; default: constant.' -rfka 'constant step line'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" load-start' -l 'load-start' -d 'Rate at the start of the schedule; default: -r.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" load-end' -l 'load-end' -d 'Rate the schedule stops at.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" load-step' -l 'load-step' -d 'Rate change per step; default: (end-start)/10.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" load-step-duration' -l 'load-step-duration' -d 'Time per step; default: 1s.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" concurrency-schedule' -l 'concurrency-schedule' -d 'Closed loop: change concurrency by \'step\' or along a \'line\' from --concurrency-start to --concurrency-end; default: constant.' -rfka 'constant step line'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" concurrency-start' -l 'concurrency-start' -d 'Concurrency at the start of the schedule; default: -c.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" concurrency-end' -l 'concurrency-end' -d 'Concurrency the schedule stops at.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" concurrency-step' -l 'concurrency-step' -d 'Concurrency change per step; default: (end-start)/10.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" concurrency-step-duration' -l 'concurrency-step-duration' -d 'Time per step; default: 1s.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" max-pending' -l 'max-pending' -d 'Open loop: most calls in flight; sends beyond it count as failures; default: 100000.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" interval' -l 'interval' -d 'Length of one report interval; default: 1s.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" drain' -l 'drain' -d 'How long calls in flight at the end may take before they are abandoned; default: 10s.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" seed' -l 'seed' -d 'Seed for template randomness, so runs repeat; default: 1.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" stream-messages' -l 'stream-messages' -d 'Client and bidi streams: messages sent per call; default: 10.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" stream-interval' -l 'stream-interval' -d 'Pause between streamed messages; default: 0.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" format' -l 'format' -d 'Report format; default: summary.' -rfka 'summary json csv html prometheus'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" o output' -s 'o' -l 'output' -d 'Write the report to this file (atomically) instead of stdout.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" slo' -l 'slo' -d 'Objectives to check, e.g. \'p99<50ms,p999<200ms,error-rate<1%,rps>5000\'; exit 10 when one fails.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" allow-errors' -l 'allow-errors' -d 'Exit 0 even when every call failed; default: exit 13 then.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" no-progress' -l 'no-progress' -d 'Do not draw the live progress line (drawn only when stderr is a terminal).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" plaintext' -l 'plaintext' -d 'Use plaintext HTTP/2 (h2c) instead of TLS; default: TLS (an http:// address also means plaintext).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" insecure' -l 'insecure' -d 'Accept any server certificate (TLS without verification); default: verify.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" cacert' -l 'cacert' -d 'PEM file of CA certificates to trust; default: the system\'s.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" cert' -l 'cert' -d 'Client certificate (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" key' -l 'key' -d 'Client private key (PEM) for mutual TLS.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" servername' -l 'servername' -d 'Name to verify the server certificate against (and send as SNI); default: the host.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" authority' -l 'authority' -d 'Value of the :authority header; default: the address.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench"' -s 'H' -l 'header' -d 'Metadata \'name: value\' for the RPC and for reflection (repeatable); -bin names take base64.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench"' -l 'rpc-header' -d 'Metadata for the RPC only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" no-cache' -l 'no-cache' -d 'Fetch the schema by reflection even when the reflection cache holds it; default: use the cache while the server lists the same services.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench"' -l 'reflect-header' -d 'Metadata for reflection calls only (repeatable).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" connect-timeout' -l 'connect-timeout' -d 'Seconds to wait for the connection (TCP, TLS, HTTP/2); default: 10.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" max-time' -l 'max-time' -d 'Deadline of the whole call in seconds, sent as grpc-timeout; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" keepalive-time' -l 'keepalive-time' -d 'Seconds between keepalive PINGs; default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" max-msg-sz' -l 'max-msg-sz' -d 'Largest message to receive or send, in bytes; default: 4194304.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" gzip' -l 'gzip' -d 'Compress requests with gzip; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" registry' -l 'registry' -d 'Polaris registry that resolves polaris://[namespace/]service addresses; default: 127.0.0.1:8091.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" registry-token' -l 'registry-token' -d 'Token for the registry (x-polaris-token); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" lb' -l 'lb' -d 'How a polaris:// address picks an instance: weighted-random, round-robin or ring-hash; default: weighted-random.' -rfka 'weighted-random round-robin ring-hash'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" hash-key' -l 'hash-key' -d 'The key ring-hash places on the ring (same key, same instance); default: none.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench"' -l 'proto' -d 'A .proto file to load (repeatable); default: none.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'proto\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench"' -s 'I' -l 'import-path' -d 'A directory to search for .proto imports (repeatable); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench"' -l 'protoset' -d 'A FileDescriptorSet file to load (repeatable); default: none.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" codec' -l 'codec' -d 'The JSON <-> binary converter: native (Swift, falls back to libprotobuf for what it does not support) or libprotobuf; default: native.' -rfka 'native libprotobuf'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" use-reflection' -l 'use-reflection' -d 'Fetch the schema by server reflection when no --proto/--protoset is given; default: true.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl bench" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl certs" -eq 1' -fa 'init' -d 'Make a certificate authority: ca.crt and ca.key in --out.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl certs" -eq 1' -fa 'issue' -d 'Issue a server or client certificate signed by a CA.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl certs" -eq 1' -fa 'quick' -d 'Make a CA, a server and a client certificate in one go, and print the flags that use them.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl certs" -eq 1' -fa 'inspect' -d 'Show the subject, issuer, names, key, validity, fingerprint and usages of certificates.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" out' -l 'out' -d 'Directory to write ca.crt and ca.key to (must exist); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" cn' -l 'cn' -d 'The CA\'s common name; default: "polarisctl CA" ("polarisctl intermediate CA" with --intermediate).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" days' -l 'days' -d 'Days of validity; default: 3650.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" path-length' -l 'path-length' -d 'How many CAs may follow below this one; default: 1 for a root, 0 for an intermediate.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" intermediate' -l 'intermediate' -d 'Make an intermediate CA signed by the CA in --ca; default: off (a root CA).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" ca' -l 'ca' -d 'With --intermediate: the directory holding the signing CA\'s ca.crt and ca.key.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" key' -l 'key' -d 'Key type: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519; default: ec-p256.' -rfka 'ec-p256 ec-p384 rsa-2048 rsa-3072 rsa-4096 ed25519'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" not-before' -l 'not-before' -d 'Start of validity, ISO 8601 (2026-01-02 or 2026-01-02T03:04:05Z); default: now minus 5 minutes for clock skew.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" encrypt-key' -l 'encrypt-key' -d 'Encrypt the new private key with a passphrase (--passphrase-file, $POLARISCTL_PASSPHRASE, or asked on a terminal); default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase (first line) for --encrypt-key and for an encrypted CA key from this file.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" force' -l 'force' -d 'Overwrite existing files; default: off (fail instead).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl certs issue" -eq 1' -fa 'server' -d 'Issue a TLS server certificate (serverAuth) for --hosts.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl certs issue" -eq 1' -fa 'client' -d 'Issue a TLS client certificate (clientAuth) for mutual TLS.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" hosts' -l 'hosts' -d 'Comma-separated DNS names and IP addresses the server answers to.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" name' -l 'name' -d 'Base name of the files (NAME.crt, NAME.key); default: server.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" cn' -l 'cn' -d 'The subject\'s common name; default: the first host.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" ca' -l 'ca' -d 'Directory holding the CA\'s ca.crt and ca.key; default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" out' -l 'out' -d 'Directory to write NAME.crt and NAME.key to (must exist); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" days' -l 'days' -d 'Days of validity; default: 365.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" key' -l 'key' -d 'Key type: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519; default: ec-p256.' -rfka 'ec-p256 ec-p384 rsa-2048 rsa-3072 rsa-4096 ed25519'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" not-before' -l 'not-before' -d 'Start of validity, ISO 8601 (2026-01-02 or 2026-01-02T03:04:05Z); default: now minus 5 minutes for clock skew.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" encrypt-key' -l 'encrypt-key' -d 'Encrypt the new private key with a passphrase (--passphrase-file, $POLARISCTL_PASSPHRASE, or asked on a terminal); default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase (first line) for --encrypt-key and for an encrypted CA key from this file.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" force' -l 'force' -d 'Overwrite existing files; default: off (fail instead).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue server" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" cn' -l 'cn' -d 'The client\'s common name (its identity to servers).' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" name' -l 'name' -d 'Base name of the files (NAME.crt, NAME.key); default: client.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" ca' -l 'ca' -d 'Directory holding the CA\'s ca.crt and ca.key; default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" out' -l 'out' -d 'Directory to write NAME.crt and NAME.key to (must exist); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" days' -l 'days' -d 'Days of validity; default: 365.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" key' -l 'key' -d 'Key type: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519; default: ec-p256.' -rfka 'ec-p256 ec-p384 rsa-2048 rsa-3072 rsa-4096 ed25519'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" not-before' -l 'not-before' -d 'Start of validity, ISO 8601 (2026-01-02 or 2026-01-02T03:04:05Z); default: now minus 5 minutes for clock skew.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" encrypt-key' -l 'encrypt-key' -d 'Encrypt the new private key with a passphrase (--passphrase-file, $POLARISCTL_PASSPHRASE, or asked on a terminal); default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase (first line) for --encrypt-key and for an encrypted CA key from this file.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" force' -l 'force' -d 'Overwrite existing files; default: off (fail instead).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs issue client" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" hosts' -l 'hosts' -d 'Comma-separated DNS names and IP addresses for the server certificate; default: localhost,127.0.0.1,::1.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" out' -l 'out' -d 'Directory to write the six files to (must exist); default: the current directory.' -rfa '(__polarisctl_complete_directories)'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" cn' -l 'cn' -d 'The CA\'s common name; default: "polarisctl CA".' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" client-cn' -l 'client-cn' -d 'The client certificate\'s common name; default: polarisctl-client.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" days' -l 'days' -d 'Days of validity of all three; default: 365.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" key' -l 'key' -d 'Key type: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519; default: ec-p256.' -rfka 'ec-p256 ec-p384 rsa-2048 rsa-3072 rsa-4096 ed25519'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" not-before' -l 'not-before' -d 'Start of validity, ISO 8601 (2026-01-02 or 2026-01-02T03:04:05Z); default: now minus 5 minutes for clock skew.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" encrypt-key' -l 'encrypt-key' -d 'Encrypt the new private key with a passphrase (--passphrase-file, $POLARISCTL_PASSPHRASE, or asked on a terminal); default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" passphrase-file' -l 'passphrase-file' -d 'Read the passphrase (first line) for --encrypt-key and for an encrypted CA key from this file.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" force' -l 'force' -d 'Overwrite existing files; default: off (fail instead).'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs quick" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl certs inspect" -ge 1' -F
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs inspect" verify' -l 'verify' -d 'Verify each certificate chain against --ca; default: off.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs inspect" ca' -l 'ca' -d 'With --verify: PEM file of trusted CA certificates.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs inspect" host' -l 'host' -d 'With --verify: also check the leaf is valid for this DNS name or IP address.' -rfka ''
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs inspect" passphrase-file' -l 'passphrase-file' -d 'Passphrase (first line) to open encrypted private keys; default: report them as encrypted.' -rF
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs inspect" format' -l 'format' -d 'Output format: text or json; default: text.' -rfka 'text json'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs inspect" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl certs inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl cache" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl cache" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl cache" -eq 1' -fa 'path' -d 'Print the cache folder.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl cache" -eq 1' -fa 'clear' -d 'Remove every cached schema.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl cache path" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl cache path" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl cache clear" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl cache clear" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl exit-codes" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl exit-codes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_positional "polarisctl completion" -eq 1' -fka 'bash zsh fish'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl completion" version' -l 'version' -d 'Show the version.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl completion" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'polarisctl' -n '__polarisctl_should_offer_completions_for_flags_or_options "polarisctl help" version' -l 'version' -d 'Show the version.'
