// ItemTagger: the whole tagging step for one item — built-in or user rules, then external annotations.
//
// Holds references to a rule set and, optionally, an annotation set; both must outlive the tagger. tag() is
// const and thread-safe, allocation-light, and throws only what TagRuleSet::apply throws.
#pragma once

#include "taxonomy/annotation_set.h"
#include "taxonomy/tag_rules.h"

namespace caploop {

class ItemTagger {
 public:
  explicit ItemTagger(const TagRuleSet& rules, const AnnotationSet* annotations = nullptr)
      : rules_(rules), annotations_(annotations) {}

  ItemTags tag(const TaggableItem& item) const;
  // True when annotations may tag an item by its id: items with the same content may then differ in tags.
  bool tags_by_item_id() const { return annotations_ != nullptr; }
  const EvalTaxonomy& taxonomy() const { return rules_.taxonomy(); }

 private:
  const TagRuleSet& rules_;
  const AnnotationSet* annotations_;
};

}  // namespace caploop
