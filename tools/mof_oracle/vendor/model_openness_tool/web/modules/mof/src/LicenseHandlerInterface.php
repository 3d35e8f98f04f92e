<?php declare(strict_types=1);

namespace Drupal\mof;

interface LicenseHandlerInterface {

}

