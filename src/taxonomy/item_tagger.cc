#include "taxonomy/item_tagger.h"

namespace caploop {

ItemTags ItemTagger::tag(const TaggableItem& item) const {
  ItemTags tags = rules_.apply(item);
  if (annotations_) {
    if (const ItemAnnotation* annotation = annotations_->find(item.benchmark, item.task, item.source_id)) {
      apply_annotation(*annotation, tags);
    }
  }
  return tags;
}

}  // namespace caploop
