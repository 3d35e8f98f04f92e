<?php declare(strict_types=1);

/**
 * @file
 * Minimal stand-ins for the Drupal framework classes that the Model Openness Tool's evaluator,
 * model updater and licence importer touch (vendor/model_openness_tool/...). Only framework
 * plumbing lives here: entity field storage, an in-memory entity storage, the config factory,
 * the service container and string translation. No MOF rule is re-implemented; the evaluation
 * logic runs from the tool's own files, unmodified.
 *
 * Where a stub mimics a Drupal behaviour that can change a result, the comment says which.
 */

namespace {

  // core/includes/common.inc: the return codes of EntityStorageInterface::save().
  const SAVED_NEW = 1;
  const SAVED_UPDATED = 2;

  /** The service container, reduced to what Model::preSave() and Component::getLicenses() call. */
  final class Drupal {
    public static array $services = [];

    public static function service(string $id) {
      if (!isset(self::$services[$id])) {
        throw new \LogicException("stub container has no service '$id'");
      }
      return self::$services[$id];
    }
  }

  /** Global t(): only reached from the entities' baseFieldDefinitions(). */
  function t($string, array $args = [], array $options = []) {
    return new \Drupal\Core\StringTranslation\TranslatableMarkup((string) $string, $args);
  }
}

namespace Psr\Log {
  interface LoggerInterface {}
  final class NullLogger implements LoggerInterface {
    public function __call($name, $arguments) {}
  }
}

namespace Drupal\Core\StringTranslation {

  class TranslatableMarkup {
    public function __construct(private string $string, private array $arguments = []) {}

    public function __toString(): string {
      return strtr($this->string, array_map('strval', $this->arguments));
    }
  }

  trait StringTranslationTrait {
    protected function t($string, array $args = [], array $options = []) {
      return new TranslatableMarkup((string) $string, $args);
    }
  }
}

namespace Drupal\Core\Config {

  interface ConfigFactoryInterface {
    public function get($name);
  }

  final class ImmutableConfig {
    public function __construct(private array $data) {}

    public function get($key = '') {
      return $key === '' ? $this->data : ($this->data[$key] ?? NULL);
    }
  }

  /**
   * Config objects read from the module's config/install YAML files, as Drupal installs them
   * (Drupal decodes them with Symfony's YAML parser).
   */
  final class YamlConfigFactory implements ConfigFactoryInterface {
    /** @param array<string,string> $files config name => YAML file */
    public function __construct(private array $files) {}

    public function get($name) {
      return new ImmutableConfig(\Symfony\Component\Yaml\Yaml::parseFile($this->files[$name]));
    }
  }
}

namespace Drupal\Core\Extension {
  /** Only getPath(): where the module (and so licenses.json, mof-licenses.json) lives. */
  class ModuleExtensionList {
    public function __construct(private string $path) {}

    public function getPath($extension_name) {
      return $this->path;
    }
  }
}

namespace Drupal\Core\Field {

  interface FieldStorageDefinitionInterface {
    const CARDINALITY_UNLIMITED = -1;
  }

  /** Fluent no-op definition: lets baseFieldDefinitions() list the entity's field names. */
  final class BaseFieldDefinition {
    public static function create($type) {
      return new self();
    }

    public function __call($name, $arguments) {
      return $this;
    }
  }

  /**
   * A field's item list. setValue() follows Drupal's FieldItemList::setValue() and
   * FieldItemBase::setValue(): a scalar or an associative array is one item; a list is one item
   * per element; a scalar item is stored under the main property 'value'.
   */
  final class FieldItemList implements \IteratorAggregate, \Countable {
    /** @var array<int,array<string,mixed>> */
    private array $items = [];

    public static function fromValue($values): self {
      $list = new self();
      if (!is_array($values) || (!empty($values) && !is_numeric(current(array_keys($values))))) {
        $values = [0 => $values];
      }
      foreach ($values as $value) {
        if ($value === NULL) {
          continue;
        }
        $list->items[] = is_array($value) ? $value : ['value' => $value];
      }
      return $list;
    }

    /** Property of the first item, like FieldItemList::__get(). */
    public function __get($property) {
      return $this->items[0][$property] ?? NULL;
    }

    public function getValue(): array {
      return $this->items;
    }

    public function getIterator(): \Iterator {
      return new \ArrayIterator(array_map(fn($item) => (object) $item, $this->items));
    }

    public function count(): int {
      return count($this->items);
    }
  }
}

namespace Drupal\Core\Entity {

  use Drupal\Core\Field\FieldItemList;

  interface EntityInterface {}
  interface ContentEntityInterface extends EntityInterface {}
  interface EntityChangedInterface {}
  interface EntityTypeInterface {}
  interface EntityStorageInterface {}
  class EntityStorageException extends \Exception {}
  trait EntityChangedTrait {}

  interface EntityTypeManagerInterface {
    public function getStorage($entity_type_id);
  }

  /** Entity storages kept in memory for one run. */
  final class MemoryEntityTypeManager implements EntityTypeManagerInterface {
    private array $storages = [];

    /** @param array<string,?string> $classes entity type id => entity class (NULL: none) */
    public function __construct(private array $classes) {}

    public function getStorage($entity_type_id) {
      if (!array_key_exists($entity_type_id, $this->classes)) {
        throw new \LogicException("stub has no entity type '$entity_type_id'");
      }
      return $this->storages[$entity_type_id] ??= new MemoryStorage($this->classes[$entity_type_id]);
    }
  }

  /**
   * In-memory entity storage: create(), save() (calling the entity's preSave(), as
   * ContentEntityStorageBase::save() does), loadMultiple() and loadByProperties().
   * loadByProperties() compares strings case-insensitively, as Drupal's entity query does for
   * a string field that is not case sensitive (the license_id field of License).
   */
  final class MemoryStorage implements EntityStorageInterface, \Drupal\user\UserStorageInterface {
    private array $entities = [];
    private int $nextId = 1;

    public function __construct(private ?string $class) {}

    public function create(array $values = []) {
      $entity = new ($this->class)();
      $entity->setStorage($this);
      foreach ($values as $name => $value) {
        $entity->set($name, $value);
      }
      return $entity;
    }

    public function save(ContentEntityBase $entity): int {
      $entity->preSave($this);
      if ($entity->id() === NULL) {
        $entity->setId($this->nextId++);
        $this->entities[$entity->id()] = $entity;
        return SAVED_NEW;
      }
      return SAVED_UPDATED;
    }

    public function loadMultiple(?array $ids = NULL): array {
      return $ids === NULL ? $this->entities : array_intersect_key($this->entities, array_flip($ids));
    }

    public function loadByProperties(array $values = []): array {
      return array_filter($this->entities, function ($entity) use ($values) {
        foreach ($values as $name => $value) {
          if (strtolower((string) $entity->get($name)->value) !== strtolower((string) $value)) {
            return FALSE;
          }
        }
        return TRUE;
      });
    }
  }

  /**
   * Field storage of a content entity. set() of a field the entity type does not define throws,
   * as ContentEntityBase::getTranslatedField() does ("Field X is unknown.").
   */
  abstract class ContentEntityBase implements ContentEntityInterface {
    private array $fields = [];
    private ?int $entityId = NULL;
    private ?MemoryStorage $storage = NULL;

    /** Field names common to every content entity of these types (the entity keys). */
    public static function baseFieldDefinitions(EntityTypeInterface $entity_type): array {
      $keys = ['id', 'uuid', 'langcode', 'default_langcode', 'revision_id', 'revision_uid',
        'revision_timestamp', 'revision_log', 'revision_default', 'revision_translation_affected'];
      return array_fill_keys($keys, NULL);
    }

    private function knownFields(): array {
      static $known = [];
      return $known[static::class] ??= array_keys(static::baseFieldDefinitions(new class implements EntityTypeInterface {}));
    }

    public function setStorage(MemoryStorage $storage): void {
      $this->storage = $storage;
    }

    public function get($field_name) {
      if (!in_array($field_name, $this->knownFields(), TRUE)) {
        throw new \InvalidArgumentException("Field $field_name is unknown.");
      }
      return $this->fields[$field_name] ?? FieldItemList::fromValue(NULL);
    }

    public function set($name, $value, $notify = TRUE) {
      $this->get($name);
      $this->fields[$name] = FieldItemList::fromValue($value);
      return $this;
    }

    public function save() {
      return $this->storage->save($this);
    }

    public function preSave(EntityStorageInterface $storage) {}

    public function id() {
      return $this->entityId;
    }

    public function setId(int $id): void {
      $this->entityId = $id;
    }

    public function label() {
      return $this->get('label')->value;
    }
  }

  abstract class RevisionableContentEntityBase extends ContentEntityBase {}
}

namespace Drupal\user {
  interface UserStorageInterface {}
  interface UserInterface {}
  interface EntityOwnerInterface {}

  trait EntityOwnerTrait {
    public function getOwnerId() {
      return $this->get('uid')->target_id ?? $this->get('uid')->value;
    }

    public function setOwnerId($uid) {
      $this->set('uid', $uid);
      return $this;
    }

    public static function getDefaultEntityOwner() {
      return 0;
    }
  }
}
