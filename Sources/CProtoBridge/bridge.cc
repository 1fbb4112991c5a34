// libprotobuf 3.21 behind a C API. See include/CProtoBridge.h for the contract.
#include "CProtoBridge.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/api.pb.h>
#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/empty.pb.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/source_context.pb.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/stubs/common.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/type.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>
#include <google/protobuf/wrappers.pb.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace pb = google::protobuf;

namespace {

const char kTypeUrlPrefix[] = "type.googleapis.com";

char *copy_string(const std::string &s) {
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (p == nullptr) return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

uint8_t *copy_bytes(const std::string &s) {
    uint8_t *p = static_cast<uint8_t *>(std::malloc(s.empty() ? 1 : s.size()));
    if (p != nullptr && !s.empty()) std::memcpy(p, s.data(), s.size());
    return p;
}

void fail(cpb_error *err, int kind, const std::string &message, const std::string &file = "", int line = 0,
          int column = 0) {
    if (err == nullptr) return;
    cpb_error_clear(err);
    err->kind = kind;
    err->message = copy_string(message);
    err->file = file.empty() ? nullptr : copy_string(file);
    err->line = line;
    err->column = column;
}

// libprotobuf logs through a process-wide handler; collect what it says on this
// thread so that it can be added to an error instead of reaching stderr.
thread_local std::string captured_log;

void capture_log(pb::LogLevel level, const char *, int, const std::string &message) {
    if (level < pb::LOGLEVEL_WARNING) return;
    if (!captured_log.empty()) captured_log += "\n";
    captured_log += message;
}

std::string take_log() {
    std::string s;
    s.swap(captured_log);
    return s;
}

// The generated descriptors of the well-known types register themselves (in
// libprotobuf's generated database, at start-up) only when their object files are
// linked in. Naming one function of each keeps them in a statically linked binary,
// so imports of google/protobuf/*.proto always resolve; the descriptors themselves
// are built only when a file imports them (calling descriptor() here built all
// eleven files on every run: ~2M instructions, a tenth of a short `call`).
[[gnu::used]] const void *const well_known_type_anchors[] = {
    reinterpret_cast<const void *>(&pb::Any::descriptor),
    reinterpret_cast<const void *>(&pb::Api::descriptor),
    reinterpret_cast<const void *>(&pb::Duration::descriptor),
    reinterpret_cast<const void *>(&pb::Empty::descriptor),
    reinterpret_cast<const void *>(&pb::FieldMask::descriptor),
    reinterpret_cast<const void *>(&pb::SourceContext::descriptor),
    reinterpret_cast<const void *>(&pb::Struct::descriptor),
    reinterpret_cast<const void *>(&pb::Timestamp::descriptor),
    reinterpret_cast<const void *>(&pb::Type::descriptor),
    reinterpret_cast<const void *>(&pb::DoubleValue::descriptor),
    reinterpret_cast<const void *>(&pb::FileDescriptorProto::descriptor),
};

void setup_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        pb::SetLogHandler(&capture_log);
    });
}

// Runs a C entry point: exceptions (including libprotobuf's FatalException)
// become CPB_ERR_INTERNAL errors.
template <class F>
int guarded(cpb_error *err, F &&body) {
    setup_once();
    captured_log.clear();
    try {
        return body();
    } catch (const pb::FatalException &e) {
        fail(err, CPB_ERR_INTERNAL, std::string("libprotobuf: ") + e.message());
    } catch (const std::exception &e) {
        fail(err, CPB_ERR_INTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        fail(err, CPB_ERR_INTERNAL, "internal error: unknown exception");
    }
    return -1;
}

struct Located {
    std::string file;
    int line;    // 1-based, 0 unknown
    int column;  // 1-based, 0 unknown
    std::string message;
};

// Collects parser and validation errors with their locations (libprotobuf
// reports 0-based lines and columns, -1 when unknown).
struct ErrorList : pb::compiler::MultiFileErrorCollector {
    std::vector<Located> errors;
    void AddError(const std::string &file, int line, int column, const std::string &message) override {
        errors.push_back({file, line >= 0 ? line + 1 : 0, column >= 0 ? column + 1 : 0, message});
    }
    void AddWarning(const std::string &, int, int, const std::string &) override {}
};

struct DescriptorErrors : pb::DescriptorPool::ErrorCollector {
    std::vector<std::string> errors;
    void AddError(const std::string &file, const std::string &element, const pb::Message *, ErrorLocation,
                  const std::string &message) override {
        errors.push_back(file + (element.empty() ? "" : " (" + element + ")") + ": " + message);
    }
};

// Resolves type URLs with any prefix (Any payloads do not always use
// type.googleapis.com) and caches resolved types: the stock resolver rebuilds
// them on every conversion.
class CachingResolver : public pb::util::TypeResolver {
  public:
    explicit CachingResolver(const pb::DescriptorPool *pool)
        : inner_(pb::util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, pool)) {}

    pb::util::Status ResolveMessageType(const std::string &url, pb::Type *out) override {
        return resolve(url, out, messages_,
                       [this](const std::string &u, pb::Type *t) { return inner_->ResolveMessageType(u, t); });
    }
    pb::util::Status ResolveEnumType(const std::string &url, pb::Enum *out) override {
        return resolve(url, out, enums_,
                       [this](const std::string &u, pb::Enum *t) { return inner_->ResolveEnumType(u, t); });
    }

  private:
    template <class T, class Inner>
    pb::util::Status resolve(const std::string &url, T *out,
                             std::unordered_map<std::string, std::unique_ptr<T>> &cache, Inner inner) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = cache.find(url);
            if (it != cache.end()) {
                out->CopyFrom(*it->second);
                return pb::util::Status();
            }
        }
        auto slash = url.rfind('/');
        std::string name = slash == std::string::npos ? url : url.substr(slash + 1);
        auto resolved = std::make_unique<T>();
        auto status = inner(std::string(kTypeUrlPrefix) + "/" + name, resolved.get());
        if (!status.ok()) return status;
        out->CopyFrom(*resolved);
        std::lock_guard<std::mutex> lock(mutex_);
        cache.emplace(url, std::move(resolved));
        return status;
    }

    std::unique_ptr<pb::util::TypeResolver> inner_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::unique_ptr<pb::Type>> messages_;
    std::unordered_map<std::string, std::unique_ptr<pb::Enum>> enums_;
};

bool looks_like_editions(const std::string &path) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        size_t i = line.find_first_not_of(" \t\r");
        if (i == std::string::npos || line.compare(i, 2, "//") == 0) continue;
        return line.compare(i, 7, "edition") == 0;
    }
    return false;
}

}  // namespace

struct cpb_pool {
    // Backing stores; which ones are set depends on how the pool was built.
    std::unique_ptr<pb::compiler::DiskSourceTree> tree;
    std::unique_ptr<ErrorList> parse_errors;
    std::unique_ptr<pb::compiler::SourceTreeDescriptorDatabase> source_db;
    std::unique_ptr<pb::SimpleDescriptorDatabase> simple_db;
    std::unique_ptr<DescriptorErrors> descriptor_errors;
    // The compiled-in files (well-known types, descriptor.proto), through the pool
    // of generated descriptors: it builds a file only when asked for it, and its lock
    // serializes lookups in the generated database, which rearranges its index in place
    // on lookups (pools are loaded from several threads). internal_generated_pool(), not
    // generated_pool(): the latter builds descriptor.proto's descriptors on every run.
    pb::DescriptorPoolDatabase builtin_db{*pb::DescriptorPool::internal_generated_pool()};
    std::unique_ptr<pb::MergedDescriptorDatabase> merged_db;
    std::unique_ptr<pb::DescriptorPool> pool;

    std::vector<const pb::FileDescriptor *> roots;
    std::unique_ptr<CachingResolver> resolver;
    std::unique_ptr<pb::DynamicMessageFactory> factory;

    void finish() {
        resolver = std::make_unique<CachingResolver>(pool.get());
        factory = std::make_unique<pb::DynamicMessageFactory>(pool.get());
    }

    // `from` and everything it imports, dependencies first, each once.
    std::vector<const pb::FileDescriptor *> closure(const std::vector<const pb::FileDescriptor *> &from) const {
        std::vector<const pb::FileDescriptor *> out;
        std::set<const pb::FileDescriptor *> seen;
        std::vector<std::pair<const pb::FileDescriptor *, int>> stack;
        for (auto *root : from) {
            if (!seen.insert(root).second) continue;
            stack.push_back({root, 0});
            while (!stack.empty()) {
                auto &top = stack.back();
                if (top.second < top.first->dependency_count()) {
                    auto *dep = top.first->dependency(top.second++);
                    if (seen.insert(dep).second) stack.push_back({dep, 0});
                } else {
                    out.push_back(top.first);
                    stack.pop_back();
                }
            }
        }
        return out;
    }
};

namespace {

std::string strip_dot(const char *name) {
    std::string s = name ? name : "";
    if (!s.empty() && s[0] == '.') s.erase(0, 1);
    return s;
}

const pb::Descriptor *find_message(cpb_pool *pool, const char *type_name, cpb_error *err) {
    std::string name = strip_dot(type_name);
    const pb::Descriptor *d = pool->pool->FindMessageTypeByName(name);
    if (d == nullptr) {
        std::string what = "unknown message type \"" + name + "\"";
        if (pool->pool->FindServiceByName(name) != nullptr) what += " (it is a service)";
        else if (pool->pool->FindEnumTypeByName(name) != nullptr) what += " (it is an enum)";
        fail(err, CPB_ERR_UNKNOWN_SYMBOL, what);
    }
    return d;
}

// Reports the first parse error with its location, and every error in the text.
void fail_with_parse_errors(cpb_pool *p, const std::string &name, cpb_error *err) {
    auto &errors = p->parse_errors->errors;
    if (errors.empty()) {
        std::string log = take_log();
        fail(err, CPB_ERR_PROTO, name + ": could not be loaded" + (log.empty() ? "" : ": " + log), name);
        return;
    }
    // A missing file is reported as "File not found." against the file itself,
    // then as an import error against the importing file.
    for (auto &e : errors) {
        if (e.message == "File not found.") {
            std::string message = e.file + ": file not found";
            for (auto &other : errors) {
                if (&other != &e && other.message.find("\"" + e.file + "\"") != std::string::npos) {
                    std::ostringstream where;
                    where << other.file << ":" << other.line << ":" << other.column;
                    message = e.file + ": import not found (imported at " + where.str() + ")";
                    fail(err, CPB_ERR_FILE_NOT_FOUND, message, other.file, other.line, other.column);
                    return;
                }
            }
            fail(err, CPB_ERR_FILE_NOT_FOUND, message, e.file);
            return;
        }
    }
    const Located &first = errors.front();
    std::string disk;
    if (p->tree->VirtualFileToDiskFile(first.file, &disk) && looks_like_editions(disk)) {
        fail(err, CPB_ERR_EDITIONS,
             first.file + ": uses protobuf editions, which the bundled parser (protobuf 3.21) cannot read; "
                          "use syntax = \"proto2\" or \"proto3\", or load a protoset",
             first.file, first.line, first.column);
        return;
    }
    std::ostringstream all;
    for (size_t i = 0; i < errors.size(); i++) {
        const Located &e = errors[i];
        if (i) all << "\n";
        all << e.file;
        if (e.line > 0) all << ":" << e.line << ":" << e.column;
        all << ": " << e.message;
    }
    fail(err, CPB_ERR_PROTO, all.str(), first.file, first.line, first.column);
}

int export_set(cpb_pool *pool, const std::vector<const pb::FileDescriptor *> &files, uint8_t **out,
               size_t *out_len) {
    pb::FileDescriptorSet set;
    for (auto *fd : pool->closure(files)) {
        pb::FileDescriptorProto *proto = set.add_file();
        fd->CopyTo(proto);
        fd->CopyJsonNameTo(proto);  // CopyTo drops json_name; reflection clients rely on it
    }
    std::string bytes = set.SerializeAsString();
    *out = copy_bytes(bytes);
    *out_len = bytes.size();
    return 0;
}

}  // namespace

/// Parses `data` as a `d`, or fails with a reason (too large, truncated,
/// malformed, invalid UTF-8).
static std::unique_ptr<pb::Message> parse_validated(cpb_pool *pool, const pb::Descriptor *d, const uint8_t *data,
                                                    size_t len, cpb_error *err) {
    if (len > INT32_MAX) {
        fail(err, CPB_ERR_BINARY, "message too large (over 2 GiB)");
        return nullptr;
    }
    std::unique_ptr<pb::Message> message(pool->factory->GetPrototype(d)->New());
    if (!message->ParsePartialFromArray(data, static_cast<int>(len))) {
        std::string log = take_log();
        std::string why = "truncated or malformed wire data";
        if (log.find("UTF-8") != std::string::npos) why = "a string field holds invalid UTF-8";
        fail(err, CPB_ERR_BINARY, "not a valid " + d->full_name() + " (" + std::to_string(len) + " bytes): " + why);
        return nullptr;
    }
    return message;
}

extern "C" {

void cpb_free(void *p) { std::free(p); }

void cpb_error_clear(cpb_error *err) {
    if (err == nullptr) return;
    std::free(err->message);
    std::free(err->file);
    err->kind = CPB_OK;
    err->message = nullptr;
    err->file = nullptr;
    err->line = 0;
    err->column = 0;
}

cpb_pool *cpb_pool_from_protos(const char *const *import_paths, size_t n_import_paths, const char *const *files,
                               size_t n_files, cpb_error *err) {
    cpb_pool *result = nullptr;
    guarded(err, [&]() -> int {
        auto p = std::make_unique<cpb_pool>();
        p->tree = std::make_unique<pb::compiler::DiskSourceTree>();
        for (size_t i = 0; i < n_import_paths; i++) p->tree->MapPath("", import_paths[i]);
        p->parse_errors = std::make_unique<ErrorList>();
        p->source_db = std::make_unique<pb::compiler::SourceTreeDescriptorDatabase>(p->tree.get());
        p->source_db->RecordErrorsTo(p->parse_errors.get());
        // The compiled-in well-known types come first, so a user's import path
        // never needs to provide google/protobuf/*.proto.
        p->merged_db = std::make_unique<pb::MergedDescriptorDatabase>(&p->builtin_db, p->source_db.get());
        p->pool = std::make_unique<pb::DescriptorPool>(p->merged_db.get(),
                                                       p->source_db->GetValidationErrorCollector());
        p->pool->EnforceWeakDependencies(true);

        for (size_t i = 0; i < n_files; i++) {
            std::string name = files[i];
            std::string virtual_name, shadowing;
            std::ifstream probe(name);
            if (probe.good()) {
                switch (p->tree->DiskFileToVirtualFile(name, &virtual_name, &shadowing)) {
                    case pb::compiler::DiskSourceTree::SUCCESS:
                        name = virtual_name;
                        break;
                    case pb::compiler::DiskSourceTree::SHADOWED:
                        fail(err, CPB_ERR_PROTO,
                             name + ": shadowed by " + shadowing + ", which has the same name in an earlier import path",
                             name);
                        return -1;
                    case pb::compiler::DiskSourceTree::CANNOT_OPEN:
                        fail(err, CPB_ERR_FILE_NOT_FOUND, name + ": cannot be opened", name);
                        return -1;
                    case pb::compiler::DiskSourceTree::NO_MAPPING: {
                        // Like protoc: a path that names a file relative to an
                        // import path is taken as such.
                        std::string disk;
                        if (name[0] != '/' && p->tree->VirtualFileToDiskFile(name, &disk)) break;
                        fail(err, CPB_ERR_OUTSIDE_IMPORT_PATH, name + ": not under any import path", name);
                        return -1;
                    }
                }
            }
            const pb::FileDescriptor *fd = p->pool->FindFileByName(name);
            if (fd == nullptr) {
                fail_with_parse_errors(p.get(), name, err);
                return -1;
            }
            p->roots.push_back(fd);
        }
        p->finish();
        result = p.release();
        return 0;
    });
    return result;
}

cpb_pool *cpb_pool_from_descriptors(const uint8_t *const *sets, const size_t *set_lengths, size_t n_sets,
                                    const uint8_t *const *files, const size_t *file_lengths, size_t n_files,
                                    cpb_error *err) {
    cpb_pool *result = nullptr;
    guarded(err, [&]() -> int {
        std::vector<pb::FileDescriptorProto> protos;
        for (size_t i = 0; i < n_sets; i++) {
            pb::FileDescriptorSet set;
            if (set_lengths[i] > INT32_MAX || !set.ParseFromArray(sets[i], static_cast<int>(set_lengths[i]))) {
                fail(err, CPB_ERR_DESCRIPTORS,
                     "protoset #" + std::to_string(i + 1) +
                         ": not a valid FileDescriptorSet (corrupt or truncated)");
                return -1;
            }
            for (auto &f : *set.mutable_file()) protos.push_back(std::move(f));
        }
        for (size_t i = 0; i < n_files; i++) {
            pb::FileDescriptorProto proto;
            if (file_lengths[i] > INT32_MAX || !proto.ParseFromArray(files[i], static_cast<int>(file_lengths[i]))) {
                fail(err, CPB_ERR_DESCRIPTORS,
                     "file descriptor #" + std::to_string(i + 1) + ": not a valid FileDescriptorProto");
                return -1;
            }
            protos.push_back(std::move(proto));
        }

        auto p = std::make_unique<cpb_pool>();
        p->simple_db = std::make_unique<pb::SimpleDescriptorDatabase>();
        std::unordered_map<std::string, std::string> seen;  // name -> serialized form
        std::vector<std::string> order;
        for (const auto &f : protos) {
            if (f.name().empty()) {
                fail(err, CPB_ERR_DESCRIPTORS, "a file descriptor has no name");
                return -1;
            }
            std::string bytes = f.SerializeAsString();
            auto it = seen.find(f.name());
            if (it != seen.end()) {
                if (it->second == bytes) continue;
                fail(err, CPB_ERR_DESCRIPTORS, f.name() + ": two different definitions of this file", f.name());
                return -1;
            }
            if (!p->simple_db->Add(f)) {
                std::string log = take_log();
                fail(err, CPB_ERR_DESCRIPTORS, f.name() + ": cannot be added" + (log.empty() ? "" : ": " + log),
                     f.name());
                return -1;
            }
            seen.emplace(f.name(), std::move(bytes));
            order.push_back(f.name());
        }
        // Files the sets carry win; imports they lack (well-known types left
        // out of a protoset or not served by reflection) come from the built-ins.
        p->merged_db = std::make_unique<pb::MergedDescriptorDatabase>(p->simple_db.get(), &p->builtin_db);
        p->descriptor_errors = std::make_unique<DescriptorErrors>();
        p->pool = std::make_unique<pb::DescriptorPool>(p->merged_db.get(), p->descriptor_errors.get());
        for (const auto &name : order) {
            const pb::FileDescriptor *fd = p->pool->FindFileByName(name);
            if (fd == nullptr) {
                std::string message;
                for (auto &e : p->descriptor_errors->errors) message += (message.empty() ? "" : "\n") + e;
                if (message.empty()) {
                    // The usual cause: an import that none of the inputs carry.
                    pb::FileDescriptorProto proto;
                    p->simple_db->FindFileByName(name, &proto);
                    for (const auto &dep : proto.dependency()) {
                        pb::FileDescriptorProto unused;
                        if (!p->merged_db->FindFileByName(dep, &unused)) {
                            message = name + ": imports " + dep +
                                      ", which is not in the descriptors (build the protoset with --include_imports)";
                            break;
                        }
                    }
                }
                if (message.empty()) message = name + ": could not be built from its descriptor";
                fail(err, CPB_ERR_DESCRIPTORS, message, name);
                return -1;
            }
            p->roots.push_back(fd);
        }
        p->finish();
        result = p.release();
        return 0;
    });
    return result;
}

void cpb_pool_free(cpb_pool *pool) { delete pool; }

int cpb_pool_roots(cpb_pool *pool, char **out, cpb_error *err) {
    return guarded(err, [&]() -> int {
        std::string names;
        for (auto *fd : pool->roots) names += fd->name() + "\n";
        *out = copy_string(names);
        return 0;
    });
}

int cpb_pool_export(cpb_pool *pool, const char *const *file_names, size_t n_files, uint8_t **out, size_t *out_len,
                    cpb_error *err) {
    return guarded(err, [&]() -> int {
        std::vector<const pb::FileDescriptor *> files;
        if (n_files == 0) files = pool->roots;
        for (size_t i = 0; i < n_files; i++) {
            const pb::FileDescriptor *fd = pool->pool->FindFileByName(file_names[i]);
            if (fd == nullptr) {
                fail(err, CPB_ERR_UNKNOWN_SYMBOL, std::string("no file named \"") + file_names[i] + "\"");
                return -1;
            }
            files.push_back(fd);
        }
        return export_set(pool, files, out, out_len);
    });
}

int cpb_file_containing_symbol(cpb_pool *pool, const char *symbol, char **out_file, cpb_error *err) {
    return guarded(err, [&]() -> int {
        std::string name = strip_dot(symbol);
        const pb::FileDescriptor *f = pool->pool->FindFileContainingSymbol(name);
        if (f == nullptr) {
            fail(err, CPB_ERR_UNKNOWN_SYMBOL, "no symbol named \"" + name + "\"");
            return -1;
        }
        *out_file = copy_string(f->name());
        return 0;
    });
}

int cpb_render_symbol(cpb_pool *pool, const char *symbol, char **out_text, char **out_kind, cpb_error *err) {
    return guarded(err, [&]() -> int {
        std::string name = strip_dot(symbol);
        const pb::DescriptorPool *dp = pool->pool.get();
        pb::DebugStringOptions options;
        options.include_comments = true;
        std::string text, kind;
        if (auto *d = dp->FindMessageTypeByName(name)) {
            text = d->DebugStringWithOptions(options);
            kind = "message";
        } else if (auto *e = dp->FindEnumTypeByName(name)) {
            text = e->DebugStringWithOptions(options);
            kind = "enum";
        } else if (auto *s = dp->FindServiceByName(name)) {
            text = s->DebugStringWithOptions(options);
            kind = "service";
        } else if (auto *m = dp->FindMethodByName(name)) {
            text = m->DebugStringWithOptions(options);
            kind = "method";
        } else if (auto *f = dp->FindFieldByName(name)) {
            text = f->DebugStringWithOptions(options);
            kind = "field";
        } else if (auto *x = dp->FindExtensionByName(name)) {
            text = x->DebugStringWithOptions(options);
            kind = "extension";
        } else if (auto *v = dp->FindEnumValueByName(name)) {
            text = v->DebugStringWithOptions(options);
            kind = "enum value";
        } else if (auto *file = dp->FindFileByName(name)) {
            text = file->DebugStringWithOptions(options);
            kind = "file";
        } else {
            fail(err, CPB_ERR_UNKNOWN_SYMBOL, "no symbol named \"" + name + "\"");
            return -1;
        }
        *out_text = copy_string(text);
        *out_kind = copy_string(kind);
        return 0;
    });
}

int cpb_json_to_binary(cpb_pool *pool, const char *type_name, const char *json, size_t json_len, uint32_t flags,
                       uint8_t **out, size_t *out_len, cpb_error *err) {
    return guarded(err, [&]() -> int {
        const pb::Descriptor *d = find_message(pool, type_name, err);
        if (d == nullptr) return -1;
        pb::util::JsonParseOptions options;
        options.ignore_unknown_fields = (flags & CPB_JSON_IGNORE_UNKNOWN) != 0;
        std::string binary;
        auto status = pb::util::JsonToBinaryString(pool->resolver.get(),
                                                   std::string(kTypeUrlPrefix) + "/" + d->full_name(),
                                                   pb::StringPiece(json, json_len), &binary, options);
        if (!status.ok()) {
            fail(err, CPB_ERR_JSON, std::string(status.message()));
            return -1;
        }
        // The converter writes repeated scalars unpacked; a pass through a
        // DynamicMessage gives the canonical encoding (packed where proto3 packs).
        std::unique_ptr<pb::Message> message(pool->factory->GetPrototype(d)->New());
        if (message->ParsePartialFromString(binary)) binary = message->SerializePartialAsString();
        *out = copy_bytes(binary);
        *out_len = binary.size();
        return 0;
    });
}

int cpb_binary_to_json(cpb_pool *pool, const char *type_name, const uint8_t *data, size_t len, uint32_t flags,
                       char **out, size_t *out_len, cpb_error *err) {
    return guarded(err, [&]() -> int {
        const pb::Descriptor *d = find_message(pool, type_name, err);
        if (d == nullptr) return -1;
        // Validate first: the converter below accepts truncated input.
        if (parse_validated(pool, d, data, len, err) == nullptr) return -1;
        pb::util::JsonPrintOptions options;
        options.always_print_primitive_fields = (flags & CPB_JSON_EMIT_DEFAULTS) != 0;
        options.preserve_proto_field_names = (flags & CPB_JSON_PROTO_NAMES) != 0;
        options.always_print_enums_as_ints = (flags & CPB_JSON_ENUMS_AS_INTS) != 0;
        options.add_whitespace = (flags & CPB_JSON_INDENT) != 0;
        std::string text;
        auto status = pb::util::BinaryToJsonString(pool->resolver.get(),
                                                   std::string(kTypeUrlPrefix) + "/" + d->full_name(),
                                                   std::string(reinterpret_cast<const char *>(data), len), &text,
                                                   options);
        if (!status.ok()) {
            fail(err, CPB_ERR_BINARY, std::string(status.message()));
            return -1;
        }
        if (!text.empty() && text.back() == '\n') text.pop_back();
        *out = copy_string(text);
        *out_len = text.size();
        return 0;
    });
}

int cpb_binary_to_text(cpb_pool *pool, const char *type_name, const uint8_t *data, size_t len, char **out,
                       size_t *out_len, cpb_error *err) {
    return guarded(err, [&]() -> int {
        const pb::Descriptor *d = find_message(pool, type_name, err);
        if (d == nullptr) return -1;
        std::unique_ptr<pb::Message> message = parse_validated(pool, d, data, len, err);
        if (message == nullptr) return -1;
        pb::TextFormat::Printer printer;
        printer.SetExpandAny(true);
        std::string text;
        if (!printer.PrintToString(*message, &text)) {
            fail(err, CPB_ERR_BINARY, "could not print " + d->full_name() + " as text");
            return -1;
        }
        while (!text.empty() && text.back() == '\n') text.pop_back();
        *out = copy_string(text);
        *out_len = text.size();
        return 0;
    });
}

}  // extern "C"
