#!/bin/bash

__polarisctl_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__polarisctl_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__polarisctl_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__polarisctl_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_polarisctl() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __polarisctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    call|stream|list|describe|serve|register|discover|encode|decode|bench|certs|cache|exit-codes|completion|help)
        # Offer subcommand argument completions
        "_polarisctl_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'call stream list describe serve register discover encode decode bench certs cache exit-codes completion help' -- "${cur}"))
        ;;
    esac
}

_polarisctl_call() {
    repeating_flags=()
    non_repeating_flags=(--plaintext --insecure --no-cache --gzip --emit-defaults --use-proto-names --enums-as-numbers --timestamps --envelope --allow-unknown-fields -v --verbose --format-error --version -h --help)
    repeating_options=(-H --header --rpc-header --reflect-header --proto -I --import-path --protoset)
    non_repeating_options=(-d --data --cacert --cert --key --servername --authority --connect-timeout --max-time --keepalive-time --max-msg-sz --registry --registry-token --lb --hash-key --codec --format --send-interval --half-close --max-messages --use-reflection -o --output)
    __polarisctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-d'|'--data')
        return
        ;;
    '--cacert')
        __polarisctl_add_completions -f
        return
        ;;
    '--cert')
        __polarisctl_add_completions -f
        return
        ;;
    '--key')
        __polarisctl_add_completions -f
        return
        ;;
    '--servername')
        return
        ;;
    '--authority')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--rpc-header')
        return
        ;;
    '--reflect-header')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--max-time')
        return
        ;;
    '--keepalive-time')
        return
        ;;
    '--max-msg-sz')
        return
        ;;
    '--registry')
        return
        ;;
    '--registry-token')
        return
        ;;
    '--lb')
        __polarisctl_add_completions -W 'weighted-random'$'\n''round-robin'$'\n''ring-hash'
        return
        ;;
    '--hash-key')
        return
        ;;
    '--proto')
        __polarisctl_add_completions -o plusdirs -fX '!*.@(proto)'
        return
        ;;
    '-I'|'--import-path')
        __polarisctl_add_completions -d
        return
        ;;
    '--protoset')
        __polarisctl_add_completions -f
        return
        ;;
    '--codec')
        __polarisctl_add_completions -W 'native'$'\n''libprotobuf'
        return
        ;;
    '--format')
        __polarisctl_add_completions -W 'json'$'\n''ndjson'$'\n''text'
        return
        ;;
    '--send-interval')
        return
        ;;
    '--half-close')
        __polarisctl_add_completions -W 'auto'$'\n''after-input'$'\n''never'
        return
        ;;
    '--max-messages')
        return
        ;;
    '--use-reflection')
        return
        ;;
    '-o'|'--output')
        __polarisctl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion call -- positional@0 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion call -- positional@1 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_polarisctl_stream() {
    repeating_flags=()
    non_repeating_flags=(--plaintext --insecure --no-cache --gzip --emit-defaults --use-proto-names --enums-as-numbers --timestamps --envelope --allow-unknown-fields -v --verbose --format-error --version -h --help)
    repeating_options=(-H --header --rpc-header --reflect-header --proto -I --import-path --protoset)
    non_repeating_options=(-d --data --cacert --cert --key --servername --authority --connect-timeout --max-time --keepalive-time --max-msg-sz --registry --registry-token --lb --hash-key --codec --format --send-interval --half-close --max-messages --use-reflection -o --output)
    __polarisctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-d'|'--data')
        return
        ;;
    '--cacert')
        __polarisctl_add_completions -f
        return
        ;;
    '--cert')
        __polarisctl_add_completions -f
        return
        ;;
    '--key')
        __polarisctl_add_completions -f
        return
        ;;
    '--servername')
        return
        ;;
    '--authority')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--rpc-header')
        return
        ;;
    '--reflect-header')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--max-time')
        return
        ;;
    '--keepalive-time')
        return
        ;;
    '--max-msg-sz')
        return
        ;;
    '--registry')
        return
        ;;
    '--registry-token')
        return
        ;;
    '--lb')
        __polarisctl_add_completions -W 'weighted-random'$'\n''round-robin'$'\n''ring-hash'
        return
        ;;
    '--hash-key')
        return
        ;;
    '--proto')
        __polarisctl_add_completions -o plusdirs -fX '!*.@(proto)'
        return
        ;;
    '-I'|'--import-path')
        __polarisctl_add_completions -d
        return
        ;;
    '--protoset')
        __polarisctl_add_completions -f
        return
        ;;
    '--codec')
        __polarisctl_add_completions -W 'native'$'\n''libprotobuf'
        return
        ;;
    '--format')
        __polarisctl_add_completions -W 'json'$'\n''ndjson'$'\n''text'
        return
        ;;
    '--send-interval')
        return
        ;;
    '--half-close')
        __polarisctl_add_completions -W 'auto'$'\n''after-input'$'\n''never'
        return
        ;;
    '--max-messages')
        return
        ;;
    '--use-reflection')
        return
        ;;
    '-o'|'--output')
        __polarisctl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion stream -- positional@0 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion stream -- positional@1 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_polarisctl_list() {
    repeating_flags=()
    non_repeating_flags=(--plaintext --insecure --no-cache --gzip -l --long --version -h --help)
    repeating_options=(--proto -I --import-path --protoset -H --header --rpc-header --reflect-header)
    non_repeating_options=(--codec --cacert --cert --key --servername --authority --connect-timeout --max-time --keepalive-time --max-msg-sz --registry --registry-token --lb --hash-key --format --protoset-out)
    __polarisctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--proto')
        __polarisctl_add_completions -o plusdirs -fX '!*.@(proto)'
        return
        ;;
    '-I'|'--import-path')
        __polarisctl_add_completions -d
        return
        ;;
    '--protoset')
        __polarisctl_add_completions -f
        return
        ;;
    '--codec')
        __polarisctl_add_completions -W 'native'$'\n''libprotobuf'
        return
        ;;
    '--cacert')
        __polarisctl_add_completions -f
        return
        ;;
    '--cert')
        __polarisctl_add_completions -f
        return
        ;;
    '--key')
        __polarisctl_add_completions -f
        return
        ;;
    '--servername')
        return
        ;;
    '--authority')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--rpc-header')
        return
        ;;
    '--reflect-header')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--max-time')
        return
        ;;
    '--keepalive-time')
        return
        ;;
    '--max-msg-sz')
        return
        ;;
    '--registry')
        return
        ;;
    '--registry-token')
        return
        ;;
    '--lb')
        __polarisctl_add_completions -W 'weighted-random'$'\n''round-robin'$'\n''ring-hash'
        return
        ;;
    '--hash-key')
        return
        ;;
    '--format')
        __polarisctl_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--protoset-out')
        __polarisctl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion list -- positional@0 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_polarisctl_describe() {
    repeating_flags=()
    non_repeating_flags=(--plaintext --insecure --no-cache --gzip --version -h --help)
    repeating_options=(--proto -I --import-path --protoset -H --header --rpc-header --reflect-header)
    non_repeating_options=(--codec --cacert --cert --key --servername --authority --connect-timeout --max-time --keepalive-time --max-msg-sz --registry --registry-token --lb --hash-key --protoset-out)
    __polarisctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--proto')
        __polarisctl_add_completions -o plusdirs -fX '!*.@(proto)'
        return
        ;;
    '-I'|'--import-path')
        __polarisctl_add_completions -d
        return
        ;;
    '--protoset')
        __polarisctl_add_completions -f
        return
        ;;
    '--codec')
        __polarisctl_add_completions -W 'native'$'\n''libprotobuf'
        return
        ;;
    '--cacert')
        __polarisctl_add_completions -f
        return
        ;;
    '--cert')
        __polarisctl_add_completions -f
        return
        ;;
    '--key')
        __polarisctl_add_completions -f
        return
        ;;
    '--servername')
        return
        ;;
    '--authority')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--rpc-header')
        return
        ;;
    '--reflect-header')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--max-time')
        return
        ;;
    '--keepalive-time')
        return
        ;;
    '--max-msg-sz')
        return
        ;;
    '--registry')
        return
        ;;
    '--registry-token')
        return
        ;;
    '--lb')
        __polarisctl_add_completions -W 'weighted-random'$'\n''round-robin'$'\n''ring-hash'
        return
        ;;
    '--hash-key')
        return
        ;;
    '--protoset-out')
        __polarisctl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion describe -- positional@0 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_polarisctl_serve() {
    repeating_flags=()
    non_repeating_flags=(--registry --watch --keepalive-permit-without-calls --version -h --help)
    repeating_options=(--proto -I --import-path --protoset --register-metadata --stubs)
    non_repeating_options=(--codec --data-dir --token --register --registry-address --register-namespace --register-host --register-weight --register-ttl --listen --default --journal --journal-size --tls-cert --tls-key --client-ca --grace --keepalive-min-time)
    __polarisctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--proto')
        __polarisctl_add_completions -o plusdirs -fX '!*.@(proto)'
        return
        ;;
    '-I'|'--import-path')
        __polarisctl_add_completions -d
        return
        ;;
    '--protoset')
        __polarisctl_add_completions -f
        return
        ;;
    '--codec')
        __polarisctl_add_completions -W 'native'$'\n''libprotobuf'
        return
        ;;
    '--data-dir')
        __polarisctl_add_completions -d
        return
        ;;
    '--token')
        return
        ;;
    '--register')
        return
        ;;
    '--registry-address')
        return
        ;;
    '--register-namespace')
        return
        ;;
    '--register-host')
        return
        ;;
    '--register-weight')
        return
        ;;
    '--register-metadata')
        return
        ;;
    '--register-ttl')
        return
        ;;
    '--listen')
        return
        ;;
    '--stubs')
        __polarisctl_add_completions -f
        return
        ;;
    '--default')
        __polarisctl_add_completions -W 'fake'$'\n''empty'$'\n''unimplemented'
        return
        ;;
    '--journal')
        __polarisctl_add_completions -f
        return
        ;;
    '--journal-size')
        return
        ;;
    '--tls-cert')
        __polarisctl_add_completions -f
        return
        ;;
    '--tls-key')
        __polarisctl_add_completions -f
        return
        ;;
    '--client-ca')
        __polarisctl_add_completions -f
        return
        ;;
    '--grace')
        return
        ;;
    '--keepalive-min-time')
        return
        ;;
    esac
}

_polarisctl_register() {
    repeating_flags=()
    non_repeating_flags=(--isolate --once --deregister --version -h --help)
    repeating_options=(--metadata)
    non_repeating_options=(--registry --token --namespace --host --port --weight --priority --version --protocol --ttl)
    __polarisctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--registry')
        return
        ;;
    '--token')
        return
        ;;
    '--namespace')
        return
        ;;
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--weight')
        return
        ;;
    '--priority')
        return
        ;;
    '--version')
        return
        ;;
    '--protocol')
        return
        ;;
    '--metadata')
        return
        ;;
    '--ttl')
        return
        ;;
    esac
}

_polarisctl_discover() {
    repeating_flags=()
    non_repeating_flags=(--services --healthy-only --watch --version -h --help)
    repeating_options=()
    non_repeating_options=(--registry --token --namespace --format --interval)
    __polarisctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--registry')
        return
        ;;
    '--token')
        return
        ;;
    '--namespace')
        return
        ;;
    '--format')
        __polarisctl_add_completions -W 'table'$'\n''json'$'\n''ndjson'
        return
        ;;
    '--interval')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion discover -- positional@0 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_polarisctl_encode() {
    repeating_flags=()
    non_repeating_flags=(--hex --base64 --allow-unknown-fields --version -h --help)
    repeating_options=(--proto -I --import-path --protoset)
    non_repeating_options=(--codec -d --data -o --output)
    __polarisctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--proto')
        __polarisctl_add_completions -o plusdirs -fX '!*.@(proto)'
        return
        ;;
    '-I'|'--import-path')
        __polarisctl_add_completions -d
        return
        ;;
    '--protoset')
        __polarisctl_add_completions -f
        return
        ;;
    '--codec')
        __polarisctl_add_completions -W 'native'$'\n''libprotobuf'
        return
        ;;
    '-d'|'--data')
        return
        ;;
    '-o'|'--output')
        __polarisctl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion encode -- positional@0 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_polarisctl_decode() {
    repeating_flags=()
    non_repeating_flags=(--emit-defaults --use-proto-names --enums-as-numbers --hex --base64 --version -h --help)
    repeating_options=(--proto -I --import-path --protoset)
    non_repeating_options=(--codec --format -d --data -o --output)
    __polarisctl_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--proto')
        __polarisctl_add_completions -o plusdirs -fX '!*.@(proto)'
        return
        ;;
    '-I'|'--import-path')
        __polarisctl_add_completions -d
        return
        ;;
    '--protoset')
        __polarisctl_add_completions -f
        return
        ;;
    '--codec')
        __polarisctl_add_completions -W 'native'$'\n''libprotobuf'
        return
        ;;
    '--format')
        __polarisctl_add_completions -W 'json'$'\n''ndjson'$'\n''text'
        return
        ;;
    '-d'|'--data')
        return
        ;;
    '-o'|'--output')
        __polarisctl_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion decode -- positional@0 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_polarisctl_bench() {
    repeating_flags=()
    non_repeating_flags=(--allow-errors --no-progress --plaintext --insecure --no-cache --gzip --version -h --help)
    repeating_options=(-H --header --rpc-header --reflect-header --proto -I --import-path --protoset)
    non_repeating_options=(-d --data -c --concurrency --connections -n --total -z --duration -r --rate --warmup --load-schedule --load-start --load-end --load-step --load-step-duration --concurrency-schedule --concurrency-start --concurrency-end --concurrency-step --concurrency-step-duration --max-pending --interval --drain --seed --stream-messages --stream-interval --format -o --output --slo --cacert --cert --key --servername --authority --connect-timeout --max-time --keepalive-time --max-msg-sz --registry --registry-token --lb --hash-key --codec --use-reflection)
    __polarisctl_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-d'|'--data')
        return
        ;;
    '-c'|'--concurrency')
        return
        ;;
    '--connections')
        return
        ;;
    '-n'|'--total')
        return
        ;;
    '-z'|'--duration')
        return
        ;;
    '-r'|'--rate')
        return
        ;;
    '--warmup')
        return
        ;;
    '--load-schedule')
        __polarisctl_add_completions -W 'constant'$'\n''step'$'\n''line'
        return
        ;;
    '--load-start')
        return
        ;;
    '--load-end')
        return
        ;;
    '--load-step')
        return
        ;;
    '--load-step-duration')
        return
        ;;
    '--concurrency-schedule')
        __polarisctl_add_completions -W 'constant'$'\n''step'$'\n''line'
        return
        ;;
    '--concurrency-start')
        return
        ;;
    '--concurrency-end')
        return
        ;;
    '--concurrency-step')
        return
        ;;
    '--concurrency-step-duration')
        return
        ;;
    '--max-pending')
        return
        ;;
    '--interval')
        return
        ;;
    '--drain')
        return
        ;;
    '--seed')
        return
        ;;
    '--stream-messages')
        return
        ;;
    '--stream-interval')
        return
        ;;
    '--format')
        __polarisctl_add_completions -W 'summary'$'\n''json'$'\n''csv'$'\n''html'$'\n''prometheus'
        return
        ;;
    '-o'|'--output')
        __polarisctl_add_completions -f
        return
        ;;
    '--slo')
        return
        ;;
    '--cacert')
        __polarisctl_add_completions -f
        return
        ;;
    '--cert')
        __polarisctl_add_completions -f
        return
        ;;
    '--key')
        __polarisctl_add_completions -f
        return
        ;;
    '--servername')
        return
        ;;
    '--authority')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--rpc-header')
        return
        ;;
    '--reflect-header')
        return
        ;;
    '--connect-timeout')
        return
        ;;
    '--max-time')
        return
        ;;
    '--keepalive-time')
        return
        ;;
    '--max-msg-sz')
        return
        ;;
    '--registry')
        return
        ;;
    '--registry-token')
        return
        ;;
    '--lb')
        __polarisctl_add_completions -W 'weighted-random'$'\n''round-robin'$'\n''ring-hash'
        return
        ;;
    '--hash-key')
        return
        ;;
    '--proto')
        __polarisctl_add_completions -o plusdirs -fX '!*.@(proto)'
        return
        ;;
    '-I'|'--import-path')
        __polarisctl_add_completions -d
        return
        ;;
    '--protoset')
        __polarisctl_add_completions -f
        return
        ;;
    '--codec')
        __polarisctl_add_completions -W 'native'$'\n''libprotobuf'
        return
        ;;
    '--use-reflection')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion bench -- positional@0 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __polarisctl_add_completions -W "$(__polarisctl_custom_complete ---completion bench -- positional@1 "${COMP_CWORD}" "$(__polarisctl_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_polarisctl_certs() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __polarisctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|issue|quick|inspect)
        # Offer subcommand argument completions
        "_polarisctl_certs_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init issue quick inspect' -- "${cur}"))
        ;;
    esac
}

_polarisctl_certs_init() {
    repeating_flags=()
    non_repeating_flags=(--intermediate --encrypt-key --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--out --cn --days --path-length --ca --key --not-before --passphrase-file)
    __polarisctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--out')
        __polarisctl_add_completions -d
        return
        ;;
    '--cn')
        return
        ;;
    '--days')
        return
        ;;
    '--path-length')
        return
        ;;
    '--ca')
        __polarisctl_add_completions -d
        return
        ;;
    '--key')
        __polarisctl_add_completions -W 'ec-p256'$'\n''ec-p384'$'\n''rsa-2048'$'\n''rsa-3072'$'\n''rsa-4096'$'\n''ed25519'
        return
        ;;
    '--not-before')
        return
        ;;
    '--passphrase-file')
        __polarisctl_add_completions -f
        return
        ;;
    esac
}

_polarisctl_certs_issue() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __polarisctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    server|client)
        # Offer subcommand argument completions
        "_polarisctl_certs_issue_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'server client' -- "${cur}"))
        ;;
    esac
}

_polarisctl_certs_issue_server() {
    repeating_flags=()
    non_repeating_flags=(--encrypt-key --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--hosts --name --cn --ca --out --days --key --not-before --passphrase-file)
    __polarisctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--hosts')
        return
        ;;
    '--name')
        return
        ;;
    '--cn')
        return
        ;;
    '--ca')
        __polarisctl_add_completions -d
        return
        ;;
    '--out')
        __polarisctl_add_completions -d
        return
        ;;
    '--days')
        return
        ;;
    '--key')
        __polarisctl_add_completions -W 'ec-p256'$'\n''ec-p384'$'\n''rsa-2048'$'\n''rsa-3072'$'\n''rsa-4096'$'\n''ed25519'
        return
        ;;
    '--not-before')
        return
        ;;
    '--passphrase-file')
        __polarisctl_add_completions -f
        return
        ;;
    esac
}

_polarisctl_certs_issue_client() {
    repeating_flags=()
    non_repeating_flags=(--encrypt-key --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--cn --name --ca --out --days --key --not-before --passphrase-file)
    __polarisctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--cn')
        return
        ;;
    '--name')
        return
        ;;
    '--ca')
        __polarisctl_add_completions -d
        return
        ;;
    '--out')
        __polarisctl_add_completions -d
        return
        ;;
    '--days')
        return
        ;;
    '--key')
        __polarisctl_add_completions -W 'ec-p256'$'\n''ec-p384'$'\n''rsa-2048'$'\n''rsa-3072'$'\n''rsa-4096'$'\n''ed25519'
        return
        ;;
    '--not-before')
        return
        ;;
    '--passphrase-file')
        __polarisctl_add_completions -f
        return
        ;;
    esac
}

_polarisctl_certs_quick() {
    repeating_flags=()
    non_repeating_flags=(--encrypt-key --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--hosts --out --cn --client-cn --days --key --not-before --passphrase-file)
    __polarisctl_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--hosts')
        return
        ;;
    '--out')
        __polarisctl_add_completions -d
        return
        ;;
    '--cn')
        return
        ;;
    '--client-cn')
        return
        ;;
    '--days')
        return
        ;;
    '--key')
        __polarisctl_add_completions -W 'ec-p256'$'\n''ec-p384'$'\n''rsa-2048'$'\n''rsa-3072'$'\n''rsa-4096'$'\n''ed25519'
        return
        ;;
    '--not-before')
        return
        ;;
    '--passphrase-file')
        __polarisctl_add_completions -f
        return
        ;;
    esac
}

_polarisctl_certs_inspect() {
    repeating_flags=()
    non_repeating_flags=(--verify --version -h --help)
    repeating_options=()
    non_repeating_options=(--ca --host --passphrase-file --format)
    __polarisctl_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--ca')
        __polarisctl_add_completions -f
        return
        ;;
    '--host')
        return
        ;;
    '--passphrase-file')
        __polarisctl_add_completions -f
        return
        ;;
    '--format')
        __polarisctl_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __polarisctl_add_completions -f
        return
        ;;
    esac
}

_polarisctl_cache() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __polarisctl_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    path|clear)
        # Offer subcommand argument completions
        "_polarisctl_cache_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'path clear' -- "${cur}"))
        ;;
    esac
}

_polarisctl_cache_path() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __polarisctl_offer_flags_options 0
}

_polarisctl_cache_clear() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __polarisctl_offer_flags_options 0
}

_polarisctl_exit-codes() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __polarisctl_offer_flags_options 0
}

_polarisctl_completion() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __polarisctl_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __polarisctl_add_completions -W 'bash'$'\n''zsh'$'\n''fish'
        return
        ;;
    esac
}

_polarisctl_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __polarisctl_offer_flags_options -1
}

complete -o filenames -F _polarisctl polarisctl
