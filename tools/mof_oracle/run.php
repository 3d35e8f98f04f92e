<?php declare(strict_types=1);

/**
 * @file
 * Classify Model Openness Tool model files with the tool's own evaluator.
 *
 * Usage: php tools/mof_oracle/run.php DATA_FOLDER MODELS_FOLDER > classes.csv
 *
 *   DATA_FOLDER    holds the tool module's mof.settings.yml (config/install), licenses.json
 *                  and mof-licenses.json (e.g. shared/external/mof);
 *   MODELS_FOLDER  holds the model files (*.yml), as the tool's models/ folder.
 *
 * Does what the tool does on the site (lfai/model_openness_tool @ 8b5d30e9):
 *   1. LicenseImporter::import() loads licenses.json then mof-licenses.json into license
 *      entities (web/modules/mof/src/LicenseImporter.php:65-92);
 *   2. for each model file, as scripts/sync_models.php:35-55: parse it with Symfony YAML, take
 *      'release', and ModelUpdater::create() it (ModelUpdater.php:105-108: a new model entity
 *      filled by update(), whose save() runs Model::preSave(), which stores the evaluator's
 *      getClassification() in classification_no, Entity/Model.php:285-298).
 *   Each file gets its own new entity (the site merges files that share a release name).
 *
 * Prints CSV with a header: file, class (class_i, class_ii, class_iii or none, from
 * classification_no), the evaluator's getProgress(3), (2), (1) and getTotalProgress(), then the
 * evaluator's per-class 'missing' lists for classes 3, 2, 1, the class-1 'unlicensed' and
 * 'invalid' lists and 'not-type-appropriate' (component names joined by '; ', in the
 * evaluator's order), and 'error' (empty unless the tool threw on this file).
 * The tool's schema validation (ModelValidator, opis/json-schema) is not run here.
 */

use Drupal\Core\Config\YamlConfigFactory;
use Drupal\Core\Entity\MemoryEntityTypeManager;
use Drupal\Core\Extension\ModuleExtensionList;
use Drupal\mof\ComponentManager;
use Drupal\mof\LicenseHandler;
use Drupal\mof\LicenseImporter;
use Drupal\mof\ModelEvaluator;
use Drupal\mof\ModelUpdater;
use Psr\Log\NullLogger;
use Symfony\Component\Yaml\Yaml;

error_reporting(E_ALL);
set_error_handler(function (int $no, string $message, string $file, int $line): bool {
  fwrite(STDERR, "PHP notice in $file:$line: $message\n");
  return TRUE;
});

if ($argc !== 3 || !is_dir($argv[1]) || !is_dir($argv[2])) {
  fwrite(STDERR, "usage: php run.php DATA_FOLDER MODELS_FOLDER\n");
  exit(2);
}
[, $data_folder, $models_folder] = $argv;

require '/usr/share/php/Symfony/Component/Yaml/autoload.php';
require __DIR__ . '/drupal_stubs.php';
$src = __DIR__ . '/vendor/model_openness_tool/web/modules/mof/src';
foreach ([
  'ComponentInterface.php', 'Component.php', 'ComponentManagerInterface.php', 'ComponentManager.php',
  'LicenseInterface.php', 'Entity/License.php', 'LicenseHandlerInterface.php', 'LicenseHandler.php',
  'LicenseImporter.php', 'ModelInterface.php', 'Entity/Model.php', 'ModelUpdater.php',
  'ModelEvaluatorInterface.php', 'ModelEvaluator.php',
] as $file) {
  require "$src/$file";
}

// The services as mof.services.yml wires them.
$entity_type_manager = new MemoryEntityTypeManager([
  'license' => \Drupal\mof\Entity\License::class,
  'model' => \Drupal\mof\Entity\Model::class,
  'user' => NULL,
]);
(new LicenseImporter($entity_type_manager, new ModuleExtensionList($data_folder), new NullLogger()))->import();
$component_manager = new ComponentManager(new YamlConfigFactory(['mof.settings' => "$data_folder/mof.settings.yml"]));
$license_handler = new LicenseHandler($entity_type_manager);
$evaluator = new ModelEvaluator($entity_type_manager, $component_manager, $license_handler);
\Drupal::$services = [
  'entity_type.manager' => $entity_type_manager,
  'component.manager' => $component_manager,
  'license_handler' => $license_handler,
  'model_evaluator' => $evaluator,
];
$updater = new ModelUpdater($entity_type_manager, $component_manager);
$model_storage = $entity_type_manager->getStorage('model');

$names = fn(array $cids): string => implode('; ', array_map(fn($cid) => $component_manager->getComponent((int) $cid)->name, $cids));
$class_names = [0 => 'none', 1 => 'class_i', 2 => 'class_ii', 3 => 'class_iii'];

$out = fopen('php://stdout', 'w');
fputcsv($out, ['file', 'class', 'progress_3', 'progress_2', 'progress_1', 'total_progress',
  'missing_3', 'missing_2', 'missing_1', 'unlicensed_1', 'invalid_1', 'not_type_appropriate', 'error']);

$files = glob(rtrim($models_folder, '/') . '/*.yml');
sort($files, SORT_STRING);
foreach ($files as $path) {
  $file = basename($path);
  try {
    $release = Yaml::parse(file_get_contents($path))['release'];
    $model = $model_storage->create();
    $updater->update($model, $release);

    $evaluator->setModel($model);
    $evaluation = $evaluator->evaluate();
    fputcsv($out, [
      $file,
      $class_names[$model->get('classification_no')->value],
      json_encode($evaluator->getProgress(3), JSON_PRESERVE_ZERO_FRACTION),
      json_encode($evaluator->getProgress(2), JSON_PRESERVE_ZERO_FRACTION),
      json_encode($evaluator->getProgress(1), JSON_PRESERVE_ZERO_FRACTION),
      json_encode($evaluator->getTotalProgress(), JSON_PRESERVE_ZERO_FRACTION),
      $names($evaluation[3]['components']['missing']),
      $names($evaluation[2]['components']['missing']),
      $names($evaluation[1]['components']['missing']),
      $names($evaluation[1]['components']['unlicensed']),
      $names($evaluation[1]['components']['invalid']),
      $names($evaluation['not-type-appropriate']),
      '',
    ]);
  }
  catch (\Throwable $e) {
    fputcsv($out, [$file, 'error', '', '', '', '', '', '', '', '', '', '', get_class($e) . ': ' . $e->getMessage()]);
  }
}
