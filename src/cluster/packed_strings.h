// PackedStrings: a list of strings carried as one string, so that a rank can send several fields (an error,
// a statistics file, lists of names) in one ProcessGroup::gather_to_root() call. Lists nest: a field may
// itself be a packed list.
//
// Contract: each field is written as "<decimal byte length>:<bytes>", so fields may hold any bytes (newlines,
// NULs, colons). unpack_strings(pack_strings(v)) == v. unpack_strings() throws caploop::Error (kInternal,
// naming `what`) when the text is not a packed list, since packed lists only travel between caploop processes.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caploop {

std::string pack_strings(const std::vector<std::string>& fields);
std::vector<std::string> unpack_strings(std::string_view packed, std::string_view what);

}  // namespace caploop
